// SPDX-License-Identifier: GPL-2.0-only
/* daemon/lib/names.c: one word per mode, verdict, outcome and reason, one
 * rule for their JSON keys, and the places outside C that list them (the
 * CLI's usage, the bash completion, the man pages) checked against the
 * tables. */
#include <time.h>
#include "unit.h"
#include "commands.h"
#include "names.h"
#include "vendorwall.h"

static void test_modes(void **state)
{
	assert_int_equal(VW_N_MODES, VW_MODE_BLOCK + 1);
	for (int m = 0; m < VW_N_MODES; m++) {
		assert_non_null(vw_mode_names[m]);
		assert_string_equal(vw_mode_name((uint8_t)m), vw_mode_names[m]);
		assert_int_equal(vw_mode_from_name(vw_mode_names[m]), m);
	}
	assert_string_equal(vw_mode_name(VW_N_MODES), "unknown");
	assert_int_equal(vw_mode_from_name("Block"), -EINVAL);
	assert_int_equal(vw_mode_from_name(""), -EINVAL);
	assert_int_equal(vw_mode_from_name(NULL), -EINVAL);
}

static void test_verdicts(void **state)
{
	static const char *const want[VW_N_VERDICTS] = {
		[VW_V_BENIGN] = "benign", [VW_V_RESTRICTED] = "restricted",
		[VW_V_WAIVED] = "waived", [VW_V_QUARANTINED] = "quarantined",
		[VW_V_CLEARED] = "cleared", [VW_V_DISPUTED] = "disputed",
	};

	for (unsigned v = 0; v < VW_N_VERDICTS; v++) {
		assert_string_equal(vw_verdict_word(v), want[v]);
		assert_int_equal(vw_verdict_from_word(want[v]), (int)v);
	}
	assert_string_equal(vw_verdict_word(VW_N_VERDICTS), "unknown");
	assert_int_equal(vw_verdict_from_word("would-drop"), -EINVAL);
}

/* The data plane's precedence, told in words. */
static void test_verdict_of_reason(void **state)
{
	assert_int_equal(vw_verdict_of_reason(VW_REASON_BENIGN), VW_V_BENIGN);
	assert_int_equal(vw_verdict_of_reason(VW_REASON_MALFORMED), VW_V_BENIGN);
	assert_int_equal(vw_verdict_of_reason(VW_REASON_NO_OUI), VW_V_BENIGN);
	assert_int_equal(vw_verdict_of_reason(VW_REASON_WAIVER), VW_V_WAIVED);
	assert_int_equal(vw_verdict_of_reason(VW_REASON_QUARANTINE), VW_V_QUARANTINED);
	assert_int_equal(vw_verdict_of_reason(VW_REASON_DEVICE), VW_V_RESTRICTED);
	assert_int_equal(vw_verdict_of_reason(VW_REASON_DEVICE_CLEAR), VW_V_CLEARED);
	assert_int_equal(vw_verdict_of_reason(VW_REASON_OUI), VW_V_RESTRICTED);
	assert_int_equal(vw_verdict_of_reason(VW_REASON_MAX), VW_V_BENIGN);
	/* Restricting reasons and restricted-looking verdicts agree. */
	for (uint8_t r = 0; r < VW_REASON_MAX; r++) {
		enum vw_verdict_word v = vw_verdict_of_reason(r);

		assert_int_equal(vw_reason_restricts(r),
				 v == VW_V_RESTRICTED || v == VW_V_QUARANTINED);
	}
}

static void test_outcomes(void **state)
{
	static const char *const want[VW_N_OUTCOMES] = {
		[VW_VERDICT_PASS] = "passed", [VW_VERDICT_WOULD_DROP] = "would-drop",
		[VW_VERDICT_DROP] = "dropped", [VW_VERDICT_REDIRECT] = "redirected",
		[VW_VERDICT_CAPPED] = "capped",
	};

	for (uint8_t o = 0; o < VW_N_OUTCOMES; o++) {
		const char *text = vw_outcome_name(o), *key = vw_outcome_key(o);
		char snake[32];

		assert_string_equal(text, want[o]);
		assert_int_equal(vw_outcome_from_name(text), o);
		/* The one rule: a JSON key is the word in snake_case. */
		snprintf(snake, sizeof(snake), "%s", text);
		for (char *p = snake; *p; p++)
			if (*p == '-')
				*p = '_';
		assert_string_equal(key, snake);
	}
	assert_string_equal(vw_outcome_name(VW_N_OUTCOMES), "unknown");
	assert_string_equal(vw_outcome_key(VW_N_OUTCOMES), "unknown");
	assert_int_equal(vw_outcome_from_name("drop"), -EINVAL);
	assert_int_equal(vw_outcome_from_name("would_drop"), -EINVAL);
}

/* A counter that counts an outcome is named by the outcome's key, so
 * `stats` and `status` say the same word. */
static void test_counter_names(void **state)
{
	assert_string_equal(vw_counter_name(VW_CTR_DROP), vw_outcome_key(VW_VERDICT_DROP));
	assert_string_equal(vw_counter_name(VW_CTR_REDIRECT), vw_outcome_key(VW_VERDICT_REDIRECT));
	assert_string_equal(vw_counter_name(VW_CTR_WOULD_DROP),
			    vw_outcome_key(VW_VERDICT_WOULD_DROP));
	assert_string_equal(vw_counter_name(VW_CTR_CAPPED), vw_outcome_key(VW_VERDICT_CAPPED));
	assert_string_equal(vw_reason_name(VW_REASON_OUI), "oui");
	assert_string_equal(vw_reason_name(VW_REASON_DEVICE_CLEAR), "device_clear");
	assert_string_equal(vw_reason_name(VW_REASON_MAX), "unknown");
	for (unsigned i = 0; i < VW_CTR_MAX; i++)
		for (unsigned j = 0; j < i; j++)
			assert_string_not_equal(vw_counter_name(i), vw_counter_name(j));
}

static void test_join(void **state)
{
	char buf[64], tiny[8];

	assert_string_equal(vw_names_join(buf, sizeof(buf), vw_mode_names, VW_N_MODES, ", "),
			    "off, monitor, block");
	assert_string_equal(vw_names_join(buf, sizeof(buf), vw_mode_names, 0, ", "), "");
	/* Truncated, never overrun, always terminated. */
	assert_string_equal(vw_names_join(tiny, sizeof(tiny), vw_mode_names, VW_N_MODES, "|"),
			    "off|mon");
}

/* The CLI's usage line and its error message come from / match the table. */
static void test_cli_modes(void **state)
{
	char want[64], usage[128];
	const struct vw_ctl_cmd *mode = NULL;
	char *argv[] = { "vendorwallctl", "mode", "lan", "enforce", NULL };
	struct vw_ctl_inv inv;
	char *err = NULL;

	for (size_t i = 0; i < vw_ctl_n_cmds; i++)
		if (!strcmp(vw_ctl_cmds[i].name, "mode"))
			mode = &vw_ctl_cmds[i];
	assert_non_null(mode);
	snprintf(usage, sizeof(usage), "SEGMENT %s",
		 vw_names_join(want, sizeof(want), vw_mode_names, VW_N_MODES, "|"));
	assert_string_equal(mode->usage, usage);

	assert_int_equal(vw_ctl_parse(4, argv, time(NULL), &inv, &err), -EINVAL);
	assert_non_null(err);
	vw_names_join(want, sizeof(want), vw_mode_names, VW_N_MODES, ", ");
	if (!strstr(err, want))
		fail_msg("\"%s\" does not list \"%s\"", err, want);
	free(err);
}

static char *slurp(const char *rel)
{
	char path[512], *buf = NULL;
	size_t len = 0;
	FILE *f, *m;
	int c;

	snprintf(path, sizeof(path), "%s/%s", src_dir(), rel);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: %s", path, strerror(errno));
	m = open_memstream(&buf, &len);
	assert_non_null(m);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

/* The completion is installed as it is, so it keeps its own lists; they
 * must be the tables'. */
static void test_bash_completion(void **state)
{
	char *text = slurp("packaging/vendorwallctl.bash-completion");
	char modes[64], want[320], cmds[256] = "";
	size_t off = 0;

	snprintf(want, sizeof(want), "compgen -W '%s'",
		 vw_names_join(modes, sizeof(modes), vw_mode_names, VW_N_MODES, " "));
	if (!strstr(text, want))
		fail_msg("the completion does not offer the modes as \"%s\"", want);

	/* Commands: the first word of each, once, then the offline ones, then help. */
	for (size_t i = 0; i < vw_ctl_n_cmds; i++) {
		const char *name = vw_ctl_cmds[i].name;
		size_t n = strcspn(name, " ");

		const char *prev = i ? vw_ctl_cmds[i - 1].name : "";

		if (strcspn(prev, " ") == n && !strncmp(prev, name, n))
			continue;
		off += (size_t)snprintf(cmds + off, sizeof(cmds) - off, "%.*s ", (int)n, name);
	}
	for (size_t i = 0; i < vw_ctl_n_offline_cmds; i++)
		off += (size_t)snprintf(cmds + off, sizeof(cmds) - off, "%s ", vw_ctl_offline_cmds[i]);
	snprintf(want, sizeof(want), "local commands='%shelp'", cmds);
	if (!strstr(text, want))
		fail_msg("the completion does not list the commands as \"%s\"", want);
	free(text);
}

/* The man pages list the modes where the syntax is shown. */
static void test_man_pages(void **state)
{
	static const char *const pages[][2] = {
		{ "packaging/vendorwallctl.8", ".BI mode \" SEGMENT \" " },
		{ "packaging/vendorwall.conf.5", ".BR Mode= " },
	};
	char modes[64], want[128];

	vw_names_join(modes, sizeof(modes), vw_mode_names, VW_N_MODES, " | ");
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		char *text = slurp(pages[i][0]);

		snprintf(want, sizeof(want), "%s%s\n", pages[i][1], modes);
		if (!strstr(text, want))
			fail_msg("%s does not show the modes as \"%s\"", pages[i][0], want);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_verdict_of_reason),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_counter_names),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_cli_modes),
		cmocka_unit_test(test_bash_completion),
		cmocka_unit_test(test_man_pages),
	};

	return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}

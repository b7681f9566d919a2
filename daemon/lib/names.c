// SPDX-License-Identifier: GPL-2.0-only
/* The words vendorwall uses for the data plane's enums, one table each. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "names.h"
#include "vendorwall.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

const char *const vw_mode_names[VW_N_MODES] = {
	[VW_MODE_OFF] = "off", [VW_MODE_MONITOR] = "monitor", [VW_MODE_BLOCK] = "block",
};

static const char *const verdict_words[VW_N_VERDICTS] = {
	[VW_V_BENIGN] = "benign", [VW_V_RESTRICTED] = "restricted", [VW_V_WAIVED] = "waived",
	[VW_V_QUARANTINED] = "quarantined", [VW_V_CLEARED] = "cleared",
	[VW_V_DISPUTED] = "disputed",
};

_Static_assert(VW_VERDICT_CAPPED + 1 == VW_N_OUTCOMES, "a word for every outcome");

/* The text and the key of each outcome; test_names checks that each key is
 * its text in snake_case. */
static const struct {
	const char *text, *key;
} outcomes[VW_N_OUTCOMES] = {
	[VW_VERDICT_PASS] = { "passed", "passed" },
	[VW_VERDICT_WOULD_DROP] = { "would-drop", "would_drop" },
	[VW_VERDICT_DROP] = { "dropped", "dropped" },
	[VW_VERDICT_REDIRECT] = { "redirected", "redirected" },
	[VW_VERDICT_CAPPED] = { "capped", "capped" },
};

static int lookup(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return (int)i;
	return -EINVAL;
}

const char *vw_mode_name(uint8_t mode)
{
	return mode < VW_N_MODES ? vw_mode_names[mode] : "unknown";
}

int vw_mode_from_name(const char *s)
{
	return lookup(vw_mode_names, VW_N_MODES, s);
}

const char *vw_verdict_word(unsigned v)
{
	return v < VW_N_VERDICTS ? verdict_words[v] : "unknown";
}

int vw_verdict_from_word(const char *s)
{
	return lookup(verdict_words, VW_N_VERDICTS, s);
}

enum vw_verdict_word vw_verdict_of_reason(uint8_t reason)
{
	switch (reason) {
	case VW_REASON_WAIVER: return VW_V_WAIVED;
	case VW_REASON_QUARANTINE: return VW_V_QUARANTINED;
	case VW_REASON_DEVICE:
	case VW_REASON_OUI: return VW_V_RESTRICTED;
	case VW_REASON_DEVICE_CLEAR: return VW_V_CLEARED;
	}
	return VW_V_BENIGN;
}

const char *vw_outcome_name(uint8_t verdict)
{
	return verdict < VW_N_OUTCOMES ? outcomes[verdict].text : "unknown";
}

const char *vw_outcome_key(uint8_t verdict)
{
	return verdict < VW_N_OUTCOMES ? outcomes[verdict].key : "unknown";
}

int vw_outcome_from_name(const char *s)
{
	for (size_t i = 0; s && i < N_OF(outcomes); i++)
		if (!strcmp(outcomes[i].text, s))
			return (int)i;
	return -EINVAL;
}

const char *vw_reason_name(uint8_t reason)
{
	return reason < VW_REASON_MAX ? vw_counter_name(reason) : "unknown";
}

char *vw_names_join(char *buf, size_t len, const char *const *names, size_t n,
		    const char *sep)
{
	size_t off = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++) {
		int w = snprintf(buf + off, len - off, "%s%s", i ? sep : "", names[i]);

		if (w < 0)
			break;
		off += (size_t)w;
	}
	return buf;
}

// SPDX-License-Identifier: GPL-2.0-only
/* Counters as OpenMetrics: one family per kind of counter, segment and
 * reason/outcome/result as labels, so a dashboard sums over what it wants. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "openmetrics.h"

struct family {
	const char *name;       /* metric family; samples are NAME_total */
	const char *label;      /* second label beside "segment" */
	const char *help;
};

static const struct family families[] = {
	{ "vendorwall_frames", "reason", "Frames classified by the data plane, by verdict reason." },
	{ "vendorwall_restricted_frames", "outcome", "Frames of restricted devices, by what was done with them." },
	{ "vendorwall_events", "result", "Event records for the daemon, by what became of them." },
	{ "vendorwall_samples", "result", "Management frame samples for fingerprinting, by what became of them." },
	{ "vendorwall_other", "counter", "Counters this vendorwallctl does not know by name." },
};

/* Counter name -> family index and label value (vw_counter_name spelling). */
static const struct { const char *counter; int family; const char *value; } map[] = {
	{ "benign", 0, "benign" }, { "malformed", 0, "malformed" }, { "no_oui", 0, "no_oui" },
	{ "waiver", 0, "waiver" }, { "quarantine", 0, "quarantine" }, { "device", 0, "device" },
	{ "device_clear", 0, "device_clear" }, { "oui", 0, "oui" },
	{ "drop", 1, "drop" }, { "redirect", 1, "redirect" }, { "redirect_fail", 1, "redirect_fail" },
	{ "would_drop", 1, "would_drop" }, { "off", 1, "off" }, { "capped", 1, "capped" },
	{ "event", 2, "submitted" }, { "event_lost", 2, "lost" }, { "event_throttled", 2, "throttled" },
	{ "sample", 3, "submitted" }, { "sample_lost", 3, "lost" }, { "sample_throttled", 3, "throttled" },
};

static int classify(const char *counter, const char **value)
{
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (!strcmp(map[i].counter, counter)) {
			*value = map[i].value;
			return map[i].family;
		}
	}
	*value = counter;
	return sizeof(families) / sizeof(families[0]) - 1;
}

/* Label values: backslash, double quote and line feed are escaped. */
static void put_label(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static int check_shape(struct json_object *stats, struct json_object **segs)
{
	size_t n;

	if (!json_object_object_get_ex(stats, "segments", segs) ||
	    !json_object_is_type(*segs, json_type_array))
		return -EBADMSG;
	n = json_object_array_length(*segs);
	for (size_t i = 0; i < n; i++) {
		struct json_object *s = json_object_array_get_idx(*segs, i), *name, *c;

		if (!json_object_object_get_ex(s, "name", &name) ||
		    !json_object_is_type(name, json_type_string) ||
		    !json_object_object_get_ex(s, "counters", &c) ||
		    !json_object_is_type(c, json_type_object))
			return -EBADMSG;
		json_object_object_foreach(c, k, v) {
			(void)k;
			if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
				return -EBADMSG;
		}
	}
	return 0;
}

/* Visits the samples of family fam: count only when f is NULL. */
static size_t samples(FILE *f, int fam, struct json_object *segs)
{
	size_t n = json_object_array_length(segs), count = 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *s = json_object_array_get_idx(segs, i), *name, *c;

		json_object_object_get_ex(s, "name", &name);
		json_object_object_get_ex(s, "counters", &c);
		json_object_object_foreach(c, k, v) {
			const char *value;

			if (classify(k, &value) != fam)
				continue;
			count++;
			if (!f)
				continue;
			fprintf(f, "%s_total{segment=\"", families[fam].name);
			put_label(f, json_object_get_string(name));
			fprintf(f, "\",%s=\"", families[fam].label);
			put_label(f, value);
			fprintf(f, "\"} %lld\n", (long long)json_object_get_int64(v));
		}
	}
	return count;
}

int vw_openmetrics_write(FILE *f, struct json_object *stats)
{
	struct json_object *segs;
	int n = sizeof(families) / sizeof(families[0]);

	if (check_shape(stats, &segs) < 0)
		return -EBADMSG;
	for (int fam = 0; fam < n; fam++) {
		/* The catch-all family appears only when it has samples. */
		if (fam == n - 1 && !samples(NULL, fam, segs))
			continue;
		fprintf(f, "# TYPE %s counter\n# HELP %s %s\n", families[fam].name,
			families[fam].name, families[fam].help);
		samples(f, fam, segs);
	}
	fputs("# EOF\n", f);
	return ferror(f) ? -EIO : 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/* The MESSAGE_ID table (daemon/lib/alert_ids.h) against the journald
 * catalog (packaging/vendorwall.catalog): every id has exactly one entry,
 * every entry an id, and each entry says what journalctl -x needs. */
#include <ctype.h>
#include "unit.h"
#include "alert_ids.h"

#define MAX_ENTRIES 64

struct entry {
	char id[33];
	bool subject, defined_by, documentation;
	size_t body_words;     /* words of explanation after the headers */
	int line;
};

struct catalog {
	struct entry v[MAX_ENTRIES];
	size_t n;
};

static bool is_id(const char *s, size_t len)
{
	if (len != 32)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return true;
}

static size_t words(const char *s)
{
	size_t n = 0;

	for (bool in = false; *s; s++) {
		bool w = !isspace((unsigned char)*s);

		n += w && !in;
		in = w;
	}
	return n;
}

/* Headers run from the "-- ID" line to the first empty line; the text
 * follows. */
static void parse_line(struct catalog *c, const char *line, int lineno, bool *in_headers)
{
	struct entry *e = c->n ? &c->v[c->n - 1] : NULL;
	size_t len = strcspn(line, "\n");

	if (!strncmp(line, "-- ", 3)) {
		if (!is_id(line + 3, len - 3))
			fail_msg("catalog line %d: \"%.*s\" is not a MESSAGE_ID line", lineno,
				 (int)len, line);
		assert_true(c->n < MAX_ENTRIES);
		e = &c->v[c->n++];
		memcpy(e->id, line + 3, 32);
		e->line = lineno;
		*in_headers = true;
		return;
	}
	if (!e || line[0] == '#')
		return;
	if (*in_headers) {
		if (len == 0)
			*in_headers = false;
		else if (!strncmp(line, "Subject: ", 9) && len > 9)
			e->subject = true;
		else if (!strncmp(line, "Defined-By: vendorwall", 22) && len == 22)
			e->defined_by = true;
		else if (!strncmp(line, "Documentation: man:", 19))
			e->documentation = true;
		return;
	}
	e->body_words += words(line);
}

static void load(struct catalog *c)
{
	char path[512], line[1024];
	bool in_headers = false;
	int lineno = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/packaging/vendorwall.catalog", src_dir());
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: %s", path, strerror(errno));
	memset(c, 0, sizeof(*c));
	while (fgets(line, sizeof(line), f))
		parse_line(c, line, ++lineno, &in_headers);
	fclose(f);
}

static void test_table_sane(void **state)
{
	assert_true(vw_n_alert_ids > 0);
	for (size_t i = 0; i < vw_n_alert_ids; i++) {
		assert_true(is_id(vw_alert_ids[i].id, strlen(vw_alert_ids[i].id)));
		for (size_t j = 0; j < i; j++) {
			if (!strcmp(vw_alert_ids[i].id, vw_alert_ids[j].id) ||
			    !strcmp(vw_alert_ids[i].name, vw_alert_ids[j].name))
				fail_msg("VW_MID_%s and VW_MID_%s share a name or an id",
					 vw_alert_ids[i].name, vw_alert_ids[j].name);
		}
	}
	/* The generated constants are the table's (looked up by name, so a
	 * new id appended by any change keeps this test true). */
	assert_string_equal(VW_MID_DETECTED, vw_alert_ids[0].id);
	for (size_t i = 0; i < vw_n_alert_ids; i++)
		if (!strcmp(vw_alert_ids[i].name, "VENDOR_CHANGED"))
			assert_string_equal(VW_MID_VENDOR_CHANGED, vw_alert_ids[i].id);
}

static void test_every_id_has_an_entry(void **state)
{
	struct catalog c;

	load(&c);
	for (size_t i = 0; i < vw_n_alert_ids; i++) {
		size_t found = 0;

		for (size_t j = 0; j < c.n; j++)
			found += !strcmp(c.v[j].id, vw_alert_ids[i].id);
		if (found != 1)
			fail_msg("VW_MID_%s (%s) has %zu catalog entries, expected 1",
				 vw_alert_ids[i].name, vw_alert_ids[i].id, found);
	}
}

static void test_every_entry_has_an_id(void **state)
{
	struct catalog c;

	load(&c);
	for (size_t j = 0; j < c.n; j++) {
		bool known = false;

		for (size_t i = 0; i < vw_n_alert_ids; i++)
			known |= !strcmp(c.v[j].id, vw_alert_ids[i].id);
		if (!known)
			fail_msg("catalog line %d: %s is no MESSAGE_ID of daemon/lib/alert_ids.h",
				 c.v[j].line, c.v[j].id);
	}
	assert_int_equal(c.n, vw_n_alert_ids);
}

static void test_entries_complete(void **state)
{
	struct catalog c;

	load(&c);
	for (size_t j = 0; j < c.n; j++) {
		const struct entry *e = &c.v[j];

		if (!e->subject || !e->defined_by || !e->documentation)
			fail_msg("catalog line %d (%s): needs Subject:, Defined-By: vendorwall and "
				 "Documentation: man:...", e->line, e->id);
		/* An explanation, not just a title: what happened and what to do. */
		if (e->body_words < 20)
			fail_msg("catalog line %d (%s): %zu words of explanation", e->line, e->id,
				 e->body_words);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sane),
		cmocka_unit_test(test_every_id_has_an_entry),
		cmocka_unit_test(test_every_entry_has_an_id),
		cmocka_unit_test(test_entries_complete),
	};

	return cmocka_run_group_tests_name("catalog", tests, NULL, NULL);
}

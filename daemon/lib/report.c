// SPDX-License-Identifier: GPL-2.0-only
/* Reads a period of the inventory read-only and builds the compliance report's model from it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "inventory.h"
#include "report.h"
#include "vendorwall.h"

/* ---- reading ------------------------------------------------------------ */

/* Three scans merged here by MAC rather than correlated subqueries: for
 * 100,000 devices that is the difference between seconds and a fraction. */
static const char rows_sql[] =
	"SELECT s.mac, d.vendor, d.verdict, s.segment, s.first_seen, s.last_seen, d.first_seen"
	" FROM sighting s JOIN device d ON d.mac = s.mac"
	" WHERE s.last_seen >= ?1 AND s.first_seen <= ?2 ORDER BY s.mac, s.segment";
static const char addr_sql[] =
	"SELECT mac, addr FROM address ORDER BY mac, first_seen, addr";
static const char evidence_sql[] =
	"SELECT mac, signal || ' ' || field || '=' || value || printf(' %.2f', confidence / 100.0)"
	" FROM evidence ORDER BY mac, first_seen, id";

/* The period's history, starting with the last policy applied before it
 * (and the degraded states recorded with it): what was in force at its start. */
static const char events_sql[] =
	"SELECT at, kind, what, segment, detail FROM history WHERE at <= ?2 AND at >="
	" coalesce((SELECT max(at) FROM history WHERE kind = 'policy' AND at <= ?1), ?1)"
	" ORDER BY at, id";

static int sql_errno(sqlite3 *db, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK: case SQLITE_DONE: return 0;
	case SQLITE_NOMEM: return -ENOMEM;
	case SQLITE_BUSY: case SQLITE_LOCKED: return -EBUSY;
	case SQLITE_CANTOPEN: case SQLITE_PERM: case SQLITE_AUTH:
		return db && sqlite3_system_errno(db) > 0 ? -sqlite3_system_errno(db) : -EACCES;
	case SQLITE_CORRUPT: case SQLITE_NOTADB: case SQLITE_ERROR: return -EBADMSG;
	default: return -EIO;
	}
}

static int64_t row_mac(const struct vw_report_row *r)
{
	int64_t v = 0;

	for (int i = 0; i < 6; i++)
		v = v << 8 | r->mac[i];
	return v;
}

static int dup_col(sqlite3_stmt *st, int i, char **dst)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	*dst = NULL;
	if (!s)
		return sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : -ENOMEM;
	*dst = strdup(s);
	return *dst ? 0 : -ENOMEM;
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *nv;

	if (n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 256;
	nv = realloc(*v, *cap * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	return 0;
}

static int read_row(sqlite3_stmt *st, struct vw_report_row *r)
{
	int64_t m = sqlite3_column_int64(st, 0);
	int err = 0;

	*r = (struct vw_report_row){ 0 };
	for (int i = 5; i >= 0; i--, m >>= 8)
		r->mac[i] = m & 0xff;
	r->first_seen = sqlite3_column_int64(st, 4);
	r->last_seen = sqlite3_column_int64(st, 5);
	r->device_first_seen = sqlite3_column_int64(st, 6);
	err = err ?: dup_col(st, 1, &r->vendor);
	err = err ?: dup_col(st, 2, &r->verdict);
	err = err ?: dup_col(st, 3, &r->segment);
	return err;
}

static int read_event(sqlite3_stmt *st, struct vw_report_event *e)
{
	int err = 0;

	*e = (struct vw_report_event){ .at = sqlite3_column_int64(st, 0) };
	err = err ?: dup_col(st, 1, &e->kind);
	err = err ?: dup_col(st, 2, &e->what);
	err = err ?: dup_col(st, 3, &e->segment);
	err = err ?: dup_col(st, 4, &e->detail);
	return err;
}

/* Runs sql with the period bound and appends one element per row. */
static int read_all(sqlite3 *db, const char *sql, int64_t since, int64_t until, bool rows,
		    struct vw_report_data *d)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc, err;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sql_errno(db, rc);
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, until);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (rows) {
			err = grow((void **)&d->rows, &cap, d->n_rows, sizeof(*d->rows));
			err = err ?: read_row(st, &d->rows[d->n_rows++]);
		} else {
			err = grow((void **)&d->events, &cap, d->n_events, sizeof(*d->events));
			err = err ?: read_event(st, &d->events[d->n_events++]);
		}
		if (err) {
			sqlite3_finalize(st);
			return err;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sql_errno(db, rc);
}

struct joined {
	char *buf;
	size_t len, cap;
};

static int join_add(struct joined *j, const char *sep, const char *s)
{
	size_t n = strlen(s) + strlen(sep) + 1;

	if (j->len + n > j->cap) {
		size_t cap = (j->len + n) * 2;
		char *b = realloc(j->buf, cap);

		if (!b)
			return -ENOMEM;
		j->buf = b;
		j->cap = cap;
	}
	j->len += sprintf(j->buf + j->len, "%s%s", j->len ? sep : "", s);
	return 0;
}

/* Gives every row of mac (rows are sorted by MAC) its own copy of the text. */
static int join_flush(struct joined *j, struct vw_report_data *d, size_t *pos, int64_t mac,
		      bool addresses)
{
	int err = 0;

	while (*pos < d->n_rows && row_mac(&d->rows[*pos]) < mac)
		(*pos)++;
	for (size_t i = *pos; i < d->n_rows && row_mac(&d->rows[i]) == mac && !err; i++) {
		char **dst = addresses ? &d->rows[i].addresses : &d->rows[i].evidence;

		free(*dst);
		*dst = strdup(j->buf ? j->buf : "");
		err = *dst ? 0 : -ENOMEM;
	}
	j->len = 0;
	if (j->buf)
		j->buf[0] = '\0';
	return err;
}

/* Streams (mac, text) rows sorted by MAC into the matching rows' field. */
static int attach(sqlite3 *db, const char *sql, struct vw_report_data *d, bool addresses)
{
	struct joined j = { 0 };
	sqlite3_stmt *st = NULL;
	size_t pos = 0;
	int64_t cur = -1;
	int rc, err = 0;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sql_errno(db, rc);
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t mac = sqlite3_column_int64(st, 0);
		const char *text = (const char *)sqlite3_column_text(st, 1);

		if (mac != cur && cur >= 0)
			err = join_flush(&j, d, &pos, cur, addresses);
		cur = mac;
		err = err ?: join_add(&j, addresses ? " " : "; ", text ? text : "");
	}
	if (!err && cur >= 0)
		err = join_flush(&j, d, &pos, cur, addresses);
	sqlite3_finalize(st);
	free(j.buf);
	return err ? err : rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sql_errno(db, rc);
}

/* Reports list segments in order, devices by first sighting. */
static int cmp_row(const void *a, const void *b)
{
	const struct vw_report_row *x = a, *y = b;
	int c = strcmp(x->segment, y->segment);

	if (c)
		return c;
	if (x->first_seen != y->first_seen)
		return x->first_seen < y->first_seen ? -1 : 1;
	return row_mac(x) < row_mac(y) ? -1 : row_mac(x) > row_mac(y);
}

/* Rows without addresses or evidence get "", never NULL. */
static int fill_empty(struct vw_report_data *d)
{
	for (size_t i = 0; i < d->n_rows; i++) {
		struct vw_report_row *r = &d->rows[i];

		if (!r->addresses && !(r->addresses = strdup("")))
			return -ENOMEM;
		if (!r->evidence && !(r->evidence = strdup("")))
			return -ENOMEM;
	}
	if (d->n_rows)
		qsort(d->rows, d->n_rows, sizeof(*d->rows), cmp_row);
	return 0;
}

static int user_version(sqlite3 *db, int64_t *v)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);

	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : sql_errno(db, rc);
}

int vw_report_read(const char *path, int64_t since, int64_t until, struct vw_report_data *out)
{
	sqlite3 *db = NULL;
	int64_t ver = 0;
	int rc, err;

	*out = (struct vw_report_data){ 0 };
	if (access(path, R_OK) < 0)
		return -errno;
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		err = db ? sql_errno(db, rc) : -ENOMEM;
		goto out;
	}
	sqlite3_busy_timeout(db, 2000);
	/* Mapped pages instead of a pread and a copy per page: the report
	 * reads every page of the tables it needs once. */
	sqlite3_exec(db, "PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -65536", NULL, NULL, NULL);
	err = user_version(db, &ver);
	if (!err && ver > VW_INVENTORY_SCHEMA_VERSION)
		err = -EPROTO;
	else if (!err && ver < 1)
		err = -EBADMSG;
	/* One read transaction: rows and history from the same snapshot. */
	if (!err)
		err = sql_errno(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL));
	if (!err)
		err = read_all(db, rows_sql, since, until, true, out);
	if (!err)
		err = attach(db, addr_sql, out, true);
	if (!err)
		err = attach(db, evidence_sql, out, false);
	if (!err)
		err = fill_empty(out);
	out->has_history = ver >= 3;   /* the history table came with schema 3 */
	if (!err && out->has_history)
		err = read_all(db, events_sql, since, until, false, out);
out:
	sqlite3_close_v2(db);
	if (err)
		vw_report_data_free(out);
	return err;
}

void vw_report_data_free(struct vw_report_data *d)
{
	for (size_t i = 0; i < d->n_rows; i++) {
		struct vw_report_row *r = &d->rows[i];

		free(r->vendor);
		free(r->verdict);
		free(r->segment);
		free(r->addresses);
		free(r->evidence);
	}
	free(d->rows);
	for (size_t i = 0; i < d->n_events; i++) {
		free(d->events[i].kind);
		free(d->events[i].what);
		free(d->events[i].segment);
		free(d->events[i].detail);
	}
	free(d->events);
	*d = (struct vw_report_data){ 0 };
}

/* ---- the model ---------------------------------------------------------- */

const char *vw_report_status_name(enum vw_report_status s)
{
	static const char *const names[VW_RS_MAX] = {
		[VW_RS_BLOCKED] = "blocked", [VW_RS_QUARANTINED] = "quarantined",
		[VW_RS_WAIVED] = "waived", [VW_RS_MONITORED] = "monitored",
		[VW_RS_OFF] = "not-enforced",
	};

	return s < VW_RS_MAX ? names[s] : "unknown";
}

static uint64_t mac_u64(const uint8_t m[6])
{
	uint64_t v = 0;

	for (int i = 0; i < 6; i++)
		v = v << 8 | m[i];
	return v;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static const struct vw_report_waiver *find_waiver(const struct vw_report_input *in,
						   const uint8_t mac[6])
{
	for (size_t i = 0; i < in->n_waivers; i++)
		if (!memcmp(in->waivers[i].mac, mac, 6) &&
		    (!in->waivers[i].until || in->waivers[i].until > in->generated))
			return &in->waivers[i];
	return NULL;
}

static bool quarantined(const struct vw_report_input *in, const uint8_t mac[6])
{
	for (size_t i = 0; i < in->n_quarantined; i++)
		if (!memcmp(in->quarantined[i], mac, 6))
			return true;
	return false;
}

static int segment_mode(const struct vw_report_input *in, const char *segment)
{
	for (size_t i = 0; i < in->n_modes; i++)
		if (!strcmp(in->modes[i].segment, segment))
			return in->modes[i].mode;
	return -1;
}

/* Data-plane precedence: waiver > quarantine > the segment's mode. */
static void classify(const struct vw_report_input *in, int mode, struct vw_report_device *d)
{
	d->waiver = find_waiver(in, d->row->mac);
	if (d->waiver)
		d->status = VW_RS_WAIVED;
	else if (mode == VW_MODE_BLOCK)
		d->status = quarantined(in, d->row->mac) ? VW_RS_QUARANTINED : VW_RS_BLOCKED;
	else if (mode == VW_MODE_MONITOR)
		d->status = VW_RS_MONITORED;
	else
		d->status = VW_RS_OFF;
}

static int add_device(const struct vw_report_input *in, struct vw_report_section *s,
		      const struct vw_report_row *row)
{
	struct vw_report_segment *g = s->n_seg ? &s->seg[s->n_seg - 1] : NULL;
	struct vw_report_device *d;
	void *v;

	/* Rows come sorted by segment: a new name opens a new segment. */
	if (!g || strcmp(g->name, row->segment)) {
		v = realloc(s->seg, (s->n_seg + 1) * sizeof(*s->seg));
		if (!v)
			return -ENOMEM;
		s->seg = v;
		g = &s->seg[s->n_seg++];
		*g = (struct vw_report_segment){ .name = row->segment,
						 .mode = segment_mode(in, row->segment) };
	}
	if (!(g->n_dev & (g->n_dev - 1)) || !g->n_dev) {
		v = realloc(g->dev, (g->n_dev ? g->n_dev * 2 : 1) * sizeof(*g->dev));
		if (!v)
			return -ENOMEM;
		g->dev = v;
	}
	d = &g->dev[g->n_dev++];
	*d = (struct vw_report_device){ .row = row };
	classify(in, g->mode, d);
	g->count[d->status]++;
	s->count[d->status]++;
	return 0;
}

static int build_section(struct vw_report *r, struct vw_report_section *s)
{
	const struct vw_report_data *data = r->data;
	uint64_t *macs;
	size_t n = 0;
	int err = 0;

	for (size_t i = 0; i < r->in->n_active; i++)
		if (!strcmp(r->in->active[i], s->profile->id))
			s->active = true;
	macs = malloc((data->n_rows ? data->n_rows : 1) * sizeof(*macs));
	if (!macs)
		return -ENOMEM;
	for (size_t i = 0; i < data->n_rows && !err; i++) {
		const struct vw_report_row *row = &data->rows[i];

		if (!vw_profile_selects(s->profile, row->vendor))
			continue;
		macs[n++] = mac_u64(row->mac);
		err = add_device(r->in, s, row);
	}
	qsort(macs, n, sizeof(*macs), cmp_u64);
	for (size_t i = 0; i < n; i++)
		if (!i || macs[i] != macs[i - 1])
			s->n_devices++;
	free(macs);
	return err;
}

struct first_key {
	const char *vendor;
	uint64_t mac;
	int64_t first;
};

static int cmp_first(const void *a, const void *b)
{
	const struct first_key *x = a, *y = b;
	int c = strcmp(x->vendor, y->vendor);

	if (c)
		return c;
	if (x->mac != y->mac)
		return x->mac < y->mac ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

static bool in_any_section(const struct vw_report *r, const char *vendor)
{
	for (size_t i = 0; i < r->n_sec; i++)
		if (vw_profile_selects(r->sec[i].profile, vendor))
			return true;
	return false;
}

static int push_first(struct vw_report *r, const char *vendor, int64_t first)
{
	struct vw_report_series *s = r->n_series ? &r->series[r->n_series - 1] : NULL;
	void *v;

	if (!s || strcmp(s->vendor, vendor)) {
		v = realloc(r->series, (r->n_series + 1) * sizeof(*r->series));
		if (!v)
			return -ENOMEM;
		r->series = v;
		s = &r->series[r->n_series++];
		*s = (struct vw_report_series){ .vendor = vendor };
	}
	if (!(s->n & (s->n - 1)) || !s->n) {
		v = realloc(s->first, (s->n ? s->n * 2 : 1) * sizeof(*s->first));
		if (!v)
			return -ENOMEM;
		s->first = v;
	}
	s->first[s->n++] = first;
	return 0;
}

/* One point per device (its first sighting anywhere), one series per
 * vendor group of the reported profiles. */
static int build_series(struct vw_report *r)
{
	const struct vw_report_data *data = r->data;
	struct first_key *k = malloc((data->n_rows ? data->n_rows : 1) * sizeof(*k));
	size_t n = 0;
	int err = 0;

	if (!k)
		return -ENOMEM;
	for (size_t i = 0; i < data->n_rows; i++)
		if (in_any_section(r, data->rows[i].vendor))
			k[n++] = (struct first_key){ data->rows[i].vendor, mac_u64(data->rows[i].mac),
						     data->rows[i].device_first_seen };
	qsort(k, n, sizeof(*k), cmp_first);
	for (size_t i = 0; i < n && !err; i++)
		if (!i || k[i].mac != k[i - 1].mac || strcmp(k[i].vendor, k[i - 1].vendor))
			err = push_first(r, k[i].vendor, k[i].first);
	free(k);
	for (size_t i = 0; i < r->n_series && !err; i++)
		qsort(r->series[i].first, r->series[i].n, sizeof(int64_t), cmp_u64);
	return err;
}

static int build_history(struct vw_report *r)
{
	const struct vw_report_data *data = r->data;

	r->policies = calloc(data->n_events + 1, sizeof(*r->policies));
	r->degraded = calloc(data->n_events + 1, sizeof(*r->degraded));
	if (!r->policies || !r->degraded)
		return -ENOMEM;
	for (size_t i = 0; i < data->n_events; i++) {
		const struct vw_report_event *e = &data->events[i];

		if (!strcmp(e->kind, "policy"))
			r->policies[r->n_policies++] = e;
		else if (!strcmp(e->kind, "degraded"))
			r->degraded[r->n_degraded++] = e;
	}
	return 0;
}

int vw_report_build(struct vw_report *r, const struct vw_report_data *data,
		    const struct vw_report_input *in)
{
	int err = 0;

	*r = (struct vw_report){ .in = in, .data = data };
	r->sec = calloc(in->n_profiles ? in->n_profiles : 1, sizeof(*r->sec));
	if (!r->sec)
		return -ENOMEM;
	for (size_t i = 0; i < in->n_profiles && !err; i++) {
		struct vw_report_section *s = &r->sec[r->n_sec];

		s->profile = vw_policy_profile(in->policy, in->profiles[i]);
		if (!s->profile) {
			err = -ENOENT;
			break;
		}
		r->n_sec++;
		err = build_section(r, s);
	}
	err = err ?: build_series(r);
	err = err ?: build_history(r);
	if (err)
		vw_report_free(r);
	return err;
}

void vw_report_free(struct vw_report *r)
{
	for (size_t i = 0; i < r->n_sec; i++) {
		for (size_t j = 0; j < r->sec[i].n_seg; j++)
			free(r->sec[i].seg[j].dev);
		free(r->sec[i].seg);
	}
	free(r->sec);
	for (size_t i = 0; i < r->n_series; i++)
		free(r->series[i].first);
	free(r->series);
	free(r->policies);
	free(r->degraded);
	*r = (struct vw_report){ 0 };
}

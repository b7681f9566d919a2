// SPDX-License-Identifier: GPL-2.0-only
/* Keeps the persistent inventory of restricted devices in one SQLite file. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "inventory.h"
#include "names.h"

/* Schema, one entry per version step: migrations[v] takes a file from
 * user_version v to v + 1. Only ever append; a released step never changes.
 * MACs are 48-bit integers so the device key is the rowid itself. */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE device ("
	"  mac INTEGER PRIMARY KEY,"
	"  vendor TEXT NOT NULL,"
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  verdict TEXT NOT NULL DEFAULT '',"
	"  verdict_since INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX device_by_last_seen ON device(last_seen);"
	"CREATE INDEX device_by_vendor ON device(vendor, last_seen);"
	"CREATE TABLE sighting ("
	"  mac INTEGER NOT NULL REFERENCES device(mac) ON DELETE CASCADE,"
	"  segment TEXT NOT NULL,"
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  PRIMARY KEY (mac, segment)) WITHOUT ROWID;"
	"CREATE INDEX sighting_by_segment ON sighting(segment, last_seen);"
	"CREATE TABLE address ("
	"  mac INTEGER NOT NULL REFERENCES device(mac) ON DELETE CASCADE,"
	"  family INTEGER NOT NULL,"
	"  addr TEXT NOT NULL,"
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  PRIMARY KEY (mac, addr)) WITHOUT ROWID;"
	"CREATE TABLE evidence ("
	"  id INTEGER PRIMARY KEY,"
	"  mac INTEGER NOT NULL REFERENCES device(mac) ON DELETE CASCADE,"
	"  signal TEXT NOT NULL,"
	"  field TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  rule TEXT,"
	"  confidence INTEGER NOT NULL,"
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  UNIQUE (mac, signal, field, value));"
	"CREATE INDEX evidence_by_age ON evidence(mac, last_seen);"
	/* No foreign key: a waiver may be recorded before its device is seen,
	 * and segment-wide decisions have no device at all. */
	"CREATE TABLE decision ("
	"  id INTEGER PRIMARY KEY,"
	"  mac INTEGER,"
	"  segment TEXT,"
	"  kind TEXT NOT NULL,"
	"  detail TEXT,"
	"  uid INTEGER NOT NULL,"
	"  comm TEXT,"
	"  at INTEGER NOT NULL,"
	"  until INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX decision_by_mac ON decision(mac, at);"
	"CREATE TRIGGER device_evicted AFTER DELETE ON device BEGIN"
	"  DELETE FROM decision WHERE mac = old.mac;"
	"END;"
	/* For whoever opens the file with sqlite3(1): MACs as text. */
	"CREATE VIEW devices AS SELECT"
	"  printf('%02x:%02x:%02x:%02x:%02x:%02x', (mac >> 40) & 255, (mac >> 32) & 255,"
	"         (mac >> 24) & 255, (mac >> 16) & 255, (mac >> 8) & 255, mac & 255) AS mac,"
	"  vendor, verdict, datetime(first_seen, 'unixepoch') AS first_seen,"
	"  datetime(last_seen, 'unixepoch') AS last_seen FROM device;",
	/* 1 -> 2: one vocabulary (names.h). verdict held the outcome of the
	 * last frame ("drop") or "fingerprint"; it now holds the device's
	 * verdict and outcome the frame's. The old rows did not keep the
	 * reason, and only restricted devices were recorded: "restricted". */
	"ALTER TABLE device ADD COLUMN outcome TEXT NOT NULL DEFAULT '';"
	"UPDATE device SET outcome = CASE verdict"
	"  WHEN 'pass' THEN 'passed' WHEN 'would-drop' THEN 'would-drop'"
	"  WHEN 'drop' THEN 'dropped' WHEN 'redirect' THEN 'redirected'"
	"  WHEN 'capped' THEN 'capped' ELSE '' END;"
	"UPDATE device SET verdict = 'restricted' WHERE verdict != '';"
	"DROP VIEW devices;"
	"CREATE VIEW devices AS SELECT"
	"  printf('%02x:%02x:%02x:%02x:%02x:%02x', (mac >> 40) & 255, (mac >> 32) & 255,"
	"         (mac >> 24) & 255, (mac >> 16) & 255, (mac >> 8) & 255, mac & 255) AS mac,"
	"  vendor, verdict, outcome, datetime(first_seen, 'unixepoch') AS first_seen,"
	"  datetime(last_seen, 'unixepoch') AS last_seen FROM device;",
	/* 2 -> 3: what the daemon enforced and how reliable it was, over time,
	 * so a compliance report can judge its own period. */
	"CREATE TABLE history ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"        /* "policy" or "degraded" */
	"  what TEXT NOT NULL,"        /* policy version, or the degraded state's name */
	"  segment TEXT,"
	"  detail TEXT);"
	"CREATE INDEX history_by_at ON history(at);",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == VW_INVENTORY_SCHEMA_VERSION,
	       "one migration per schema version");

/* Statements of the write path and of vw_inventory_get, prepared once. */
enum stmt_id {
	ST_LOOKUP,
	ST_DEVICE_UPSERT,
	ST_SIGHTING_UPSERT,
	ST_DEVICE_COUNT,
	ST_DEVICE_EVICT,
	ST_DEVICE_EXISTS,
	ST_VERDICT,
	ST_ADDRESS_UPSERT,
	ST_ADDRESS_CAP,
	ST_EVIDENCE_UPSERT,
	ST_EVIDENCE_CAP,
	ST_DECISION_INSERT,
	ST_DEVICE_GET,
	ST_SEGMENTS_GET,
	ST_ADDRESSES_GET,
	ST_EVIDENCE_GET,
	ST_DECISIONS_GET,
	ST_HISTORY_INSERT,
	ST_HISTORY_CAP,
	ST_MAX
};

#define DEVICE_COLS "mac, vendor, verdict, first_seen, last_seen, verdict_since, outcome"
#define DECISION_COLS "mac, segment, kind, detail, uid, comm, at, until"
#define VERDICT_IN "(CASE WHEN ?4 = 'restricted' AND device.verdict = 'disputed' THEN NULL ELSE ?4 END)"

static const char *const stmt_sql[ST_MAX] = {
	[ST_LOOKUP] =
		"SELECT d.vendor, d.verdict, s.last_seen, d.outcome FROM device d"
		" LEFT JOIN sighting s ON s.mac = d.mac AND s.segment = ?2 WHERE d.mac = ?1",
	/* ?4 (?5) NULL keeps the verdict (outcome); verdict_since moves only
	 * on a change. A frame's "restricted" (its OUI) does not undo
	 * "disputed": the dispute is about that very OUI verdict. */
	[ST_DEVICE_UPSERT] =
		"INSERT INTO device (mac, vendor, first_seen, last_seen, verdict, verdict_since, outcome)"
		" VALUES (?1, ?2, ?3, ?3, coalesce(?4, ''), CASE WHEN ?4 IS NULL THEN 0 ELSE ?3 END,"
		"  coalesce(?5, ''))"
		" ON CONFLICT (mac) DO UPDATE SET vendor = excluded.vendor,"
		"  first_seen = min(device.first_seen, excluded.first_seen),"
		"  last_seen = max(device.last_seen, excluded.last_seen),"
		"  verdict_since = CASE WHEN " VERDICT_IN " IS NOT NULL AND " VERDICT_IN " != device.verdict"
		"                  THEN ?3 ELSE device.verdict_since END,"
		"  verdict = coalesce(" VERDICT_IN ", device.verdict),"
		"  outcome = coalesce(?5, device.outcome)",
	[ST_SIGHTING_UPSERT] =
		"INSERT INTO sighting (mac, segment, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3)"
		" ON CONFLICT (mac, segment) DO UPDATE SET"
		"  first_seen = min(sighting.first_seen, excluded.first_seen),"
		"  last_seen = max(sighting.last_seen, excluded.last_seen)",
	[ST_DEVICE_COUNT] = "SELECT count(*) FROM device",
	/* ?1 is the device just written: never its own victim, even when a
	 * skewed clock makes it look oldest. */
	[ST_DEVICE_EVICT] =
		"DELETE FROM device WHERE mac IN (SELECT mac FROM device WHERE mac != ?1"
		" ORDER BY last_seen, mac LIMIT ?2)",
	[ST_DEVICE_EXISTS] = "SELECT 1 FROM device WHERE mac = ?1",
	[ST_VERDICT] =
		"UPDATE device SET verdict = ?2, verdict_since = ?3 WHERE mac = ?1 AND verdict != ?2",
	/* The WHERE of DO UPDATE is the coalescing: a no-op upsert dirties no
	 * page, so the commit writes nothing. RETURNING says whether it wrote. */
	[ST_ADDRESS_UPSERT] =
		"INSERT INTO address (mac, family, addr, first_seen, last_seen)"
		" VALUES (?1, ?2, ?3, ?4, ?4)"
		" ON CONFLICT (mac, addr) DO UPDATE SET"
		"  first_seen = min(address.first_seen, excluded.first_seen),"
		"  last_seen = max(address.last_seen, excluded.last_seen)"
		" WHERE excluded.last_seen >= address.last_seen + ?5"
		"  OR excluded.first_seen < address.first_seen"
		" RETURNING addr",
	[ST_ADDRESS_CAP] =
		"DELETE FROM address WHERE mac = ?1 AND addr IN (SELECT addr FROM address"
		" WHERE mac = ?1 AND addr != ?2 ORDER BY last_seen DESC, first_seen DESC"
		" LIMIT -1 OFFSET ?3)",
	[ST_EVIDENCE_UPSERT] =
		"INSERT INTO evidence (mac, signal, field, value, rule, confidence, first_seen, last_seen)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"
		" ON CONFLICT (mac, signal, field, value) DO UPDATE SET"
		"  rule = excluded.rule, confidence = excluded.confidence,"
		"  first_seen = min(evidence.first_seen, excluded.first_seen),"
		"  last_seen = max(evidence.last_seen, excluded.last_seen)"
		" WHERE excluded.last_seen >= evidence.last_seen + ?8"
		"  OR excluded.first_seen < evidence.first_seen"
		"  OR excluded.rule IS NOT evidence.rule OR excluded.confidence != evidence.confidence"
		" RETURNING id",
	[ST_EVIDENCE_CAP] =
		"DELETE FROM evidence WHERE id IN (SELECT id FROM evidence WHERE mac = ?1 AND id != ?2"
		" ORDER BY last_seen DESC, id DESC LIMIT -1 OFFSET ?3)",
	[ST_DECISION_INSERT] =
		"INSERT INTO decision (" DECISION_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_DEVICE_GET] = "SELECT " DEVICE_COLS " FROM device WHERE mac = ?1",
	[ST_SEGMENTS_GET] =
		"SELECT segment, first_seen, last_seen FROM sighting WHERE mac = ?1"
		" ORDER BY first_seen, segment",
	[ST_ADDRESSES_GET] =
		"SELECT family, addr, first_seen, last_seen FROM address WHERE mac = ?1"
		" ORDER BY first_seen, addr",
	[ST_EVIDENCE_GET] =
		"SELECT signal, field, value, rule, confidence, first_seen, last_seen FROM evidence"
		" WHERE mac = ?1 ORDER BY first_seen, id",
	[ST_DECISIONS_GET] =
		"SELECT " DECISION_COLS " FROM decision WHERE mac = ?1 ORDER BY at, id",
	[ST_HISTORY_INSERT] =
		"INSERT INTO history (at, kind, what, segment, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_HISTORY_CAP] = "DELETE FROM history WHERE id <= last_insert_rowid() - ?1",
};

struct vw_inventory {
	sqlite3 *db;
	sqlite3_stmt *st[ST_MAX];
	struct vw_inventory_limits lim;
	/* Device count kept here so the cap costs no count(*) per new device;
	 * forgotten whenever a transaction may have been undone. */
	size_t n_devices;
	bool n_devices_known;
	bool in_batch;
	int batch_err;        /* the error that made SQLite abandon the batch */
};

/* SQLite result code to -errno. CANTOPEN and IOERR carry the OS errno,
 * which says more (ENOENT vs EACCES, ENOSPC during a write). */
static int sql_err(sqlite3 *db, int rc)
{
	int sys = db ? sqlite3_system_errno(db) : 0;

	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return 0;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_INTERRUPT:
		return -EINTR;
	case SQLITE_IOERR:
		if (rc == SQLITE_IOERR_NOMEM)
			return -ENOMEM;
		return sys > 0 ? -sys : -EIO;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return -EBADMSG;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_CANTOPEN:
		return sys > 0 ? -sys : -EACCES;
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_PROTOCOL:
		return -EIO;
	case SQLITE_TOOBIG:
		return -E2BIG;
	case SQLITE_CONSTRAINT:
		/* The only foreign keys point at device: the device is unknown. */
		if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
			return -ENOENT;
		if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return -EEXIST;
		return -EINVAL;
	case SQLITE_MISMATCH:
	case SQLITE_MISUSE:
	case SQLITE_RANGE:
		return -EINVAL;
	case SQLITE_SCHEMA:
		return -EAGAIN;
	case SQLITE_NOLFS:
		return -EFBIG;
	default:
		return -EIO;
	}
}

static int64_t mac_to_i64(const uint8_t m[6])
{
	int64_t v = 0;

	for (int i = 0; i < 6; i++)
		v = v << 8 | m[i];
	return v;
}

static void mac_from_i64(uint8_t m[6], int64_t v)
{
	for (int i = 5; i >= 0; i--, v >>= 8)
		m[i] = v & 0xff;
}

static int exec(struct vw_inventory *inv, const char *sql)
{
	return sql_err(inv->db, sqlite3_exec(inv->db, sql, NULL, NULL, NULL));
}

/* Steps a cached statement to its end; a row is an error for the callers. */
static int run(struct vw_inventory *inv, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : rc == SQLITE_ROW ? -EINVAL : sql_err(inv->db, rc);
}

static int query_int(struct vw_inventory *inv, const char *sql, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(inv->db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			*out = sqlite3_column_int64(st, 0);
		else if (rc == SQLITE_DONE)
			rc = SQLITE_CORRUPT; /* every query here returns a row */
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : sql_err(inv->db, rc);
}

/* Every write call is atomic: its own transaction, or a savepoint inside
 * the caller's batch so a failure undoes this call only. IMMEDIATE takes
 * the write lock up front: a deferred read-then-write transaction could
 * fail with BUSY_SNAPSHOT, which no busy timeout helps. */
static int op_begin(struct vw_inventory *inv)
{
	if (inv->batch_err)
		return inv->batch_err;
	return exec(inv, inv->in_batch ? "SAVEPOINT vw_op" : "BEGIN IMMEDIATE");
}

static int op_end(struct vw_inventory *inv, int err)
{
	if (!err) {
		err = exec(inv, inv->in_batch ? "RELEASE vw_op" : "COMMIT");
		if (!err)
			return 0;
	}
	if (!sqlite3_get_autocommit(inv->db)) {
		if (inv->in_batch) {
			exec(inv, "ROLLBACK TO vw_op");
			exec(inv, "RELEASE vw_op");
		} else {
			exec(inv, "ROLLBACK");
		}
	}
	/* Some errors (FULL, IOERR, NOMEM) make SQLite roll back the whole
	 * batch: remember it so commit does not report success. */
	if (inv->in_batch && sqlite3_get_autocommit(inv->db))
		inv->batch_err = err;
	inv->n_devices_known = false;
	return err;
}

int vw_inventory_begin(struct vw_inventory *inv)
{
	int err;

	if (inv->in_batch)
		return -EBUSY;
	err = exec(inv, "BEGIN IMMEDIATE");
	if (!err) {
		inv->in_batch = true;
		inv->batch_err = 0;
	}
	return err;
}

int vw_inventory_commit(struct vw_inventory *inv)
{
	int err;

	if (!inv->in_batch)
		return -EINVAL;
	if (inv->batch_err) {
		err = inv->batch_err;
		vw_inventory_rollback(inv);
		return err;
	}
	err = exec(inv, "COMMIT");
	if (err) {
		/* Still open after BUSY: the caller may retry or roll back. */
		inv->in_batch = !sqlite3_get_autocommit(inv->db);
		if (!inv->in_batch)
			inv->n_devices_known = false;
		return err;
	}
	inv->in_batch = false;
	return 0;
}

int vw_inventory_rollback(struct vw_inventory *inv)
{
	int err = 0;

	if (!sqlite3_get_autocommit(inv->db))
		err = exec(inv, "ROLLBACK");
	inv->in_batch = false;
	inv->batch_err = 0;
	inv->n_devices_known = false;
	return err;
}

/* Evicts the devices with the oldest last_seen beyond max_devices; their
 * rows go by ON DELETE CASCADE and the decision trigger. */
static int enforce_device_cap(struct vw_inventory *inv, int64_t keep)
{
	sqlite3_stmt *st;
	int64_t n;
	int err;

	if (!inv->lim.max_devices)
		return 0;
	if (!inv->n_devices_known) {
		st = inv->st[ST_DEVICE_COUNT];
		err = sqlite3_step(st);
		n = err == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		if (err != SQLITE_ROW)
			return sql_err(inv->db, err);
		inv->n_devices = n;
		inv->n_devices_known = true;
	}
	if (inv->n_devices <= inv->lim.max_devices)
		return 0;
	st = inv->st[ST_DEVICE_EVICT];
	sqlite3_bind_int64(st, 1, keep);
	sqlite3_bind_int64(st, 2, inv->n_devices - inv->lim.max_devices);
	err = run(inv, st);
	if (!err)
		inv->n_devices -= sqlite3_changes(inv->db);
	return err;
}

static bool text_ok(const char *s, size_t max)
{
	return s && *s && strnlen(s, max) < max;
}

static bool word_ok(const char *s, int (*from_word)(const char *))
{
	return !s || from_word(s) >= 0;
}

/* Writes s to column i of st, NULL for NULL. */
static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static bool differs(sqlite3_stmt *st, int col, const char *s)
{
	return s && strcmp((const char *)sqlite3_column_text(st, col) ?: "", s);
}

int vw_inventory_observe(struct vw_inventory *inv, const uint8_t mac[6], const char *vendor,
			 const char *segment, const char *verdict, const char *outcome,
			 int64_t when, bool *new_device, bool *new_on_segment)
{
	int64_t key = mac_to_i64(mac), seg_last = 0;
	bool dev_known = false, seg_known = false, write;
	sqlite3_stmt *st;
	int err, rc;

	if (!text_ok(vendor, VW_INVENTORY_VENDOR_MAX) || !segment || !*segment ||
	    !word_ok(verdict, vw_verdict_from_word) || !word_ok(outcome, vw_outcome_from_name))
		return -EINVAL;

	/* Read first, outside any write transaction: the common case is a
	 * known device inside its coalescing window, which writes nothing. */
	st = inv->st[ST_LOOKUP];
	sqlite3_bind_int64(st, 1, key);
	sqlite3_bind_text(st, 2, segment, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		dev_known = true;
		seg_known = sqlite3_column_type(st, 2) != SQLITE_NULL;
		seg_last = sqlite3_column_int64(st, 2);
		write = !seg_known ||
			strcmp((const char *)sqlite3_column_text(st, 0) ?: "", vendor) ||
			differs(st, 1, verdict) || differs(st, 3, outcome) ||
			when - seg_last >= (int64_t)inv->lim.touch_interval_s;
	} else {
		write = true;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sql_err(inv->db, rc);

	if (write) {
		err = op_begin(inv);
		if (err)
			return err;
		st = inv->st[ST_DEVICE_UPSERT];
		sqlite3_bind_int64(st, 1, key);
		sqlite3_bind_text(st, 2, vendor, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, when);
		bind_text_or_null(st, 4, verdict);
		bind_text_or_null(st, 5, outcome);
		err = run(inv, st);
		if (!err) {
			st = inv->st[ST_SIGHTING_UPSERT];
			sqlite3_bind_int64(st, 1, key);
			sqlite3_bind_text(st, 2, segment, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, when);
			err = run(inv, st);
		}
		if (!err && !dev_known) {
			if (inv->n_devices_known)
				inv->n_devices++;
			err = enforce_device_cap(inv, key);
		}
		err = op_end(inv, err);
		if (err)
			return err;
	}
	if (new_device)
		*new_device = !dev_known;
	if (new_on_segment)
		*new_on_segment = !seg_known;
	return 0;
}

int vw_inventory_set_verdict(struct vw_inventory *inv, const uint8_t mac[6], const char *verdict,
			     int64_t when)
{
	int64_t key = mac_to_i64(mac);
	sqlite3_stmt *st;
	int err, rc;

	if (!verdict || vw_verdict_from_word(verdict) < 0)
		return -EINVAL;
	err = op_begin(inv);
	if (err)
		return err;
	st = inv->st[ST_VERDICT];
	sqlite3_bind_int64(st, 1, key);
	sqlite3_bind_text(st, 2, verdict, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, when);
	err = run(inv, st);
	/* No row changed: the verdict was already this one, or no device. */
	if (!err && !sqlite3_changes(inv->db)) {
		st = inv->st[ST_DEVICE_EXISTS];
		sqlite3_bind_int64(st, 1, key);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		err = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : sql_err(inv->db, rc);
	}
	return op_end(inv, err);
}

/* Runs an upsert ... RETURNING: *wrote tells whether a row was written. */
static int run_upsert(struct vw_inventory *inv, sqlite3_stmt *st, bool *wrote)
{
	int rc = sqlite3_step(st);

	*wrote = rc == SQLITE_ROW;
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : sql_err(inv->db, rc);
}

int vw_inventory_add_address(struct vw_inventory *inv, const uint8_t mac[6], int family,
			     const void *addr, int64_t when)
{
	char text[INET6_ADDRSTRLEN];
	int64_t key = mac_to_i64(mac);
	sqlite3_stmt *st;
	bool wrote;
	int err;

	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	if (!addr || !inet_ntop(family, addr, text, sizeof(text)))
		return -EINVAL;
	err = op_begin(inv);
	if (err)
		return err;
	st = inv->st[ST_ADDRESS_UPSERT];
	sqlite3_bind_int64(st, 1, key);
	sqlite3_bind_int(st, 2, family);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, when);
	sqlite3_bind_int64(st, 5, inv->lim.touch_interval_s);
	err = run_upsert(inv, st, &wrote);
	if (!err && wrote && inv->lim.max_addresses_per_device) {
		st = inv->st[ST_ADDRESS_CAP];
		sqlite3_bind_int64(st, 1, key);
		sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, inv->lim.max_addresses_per_device - 1);
		err = run(inv, st);
	}
	return op_end(inv, err);
}

int vw_inventory_add_evidence(struct vw_inventory *inv, const uint8_t mac[6],
			      const struct vw_evidence *ev, int64_t when)
{
	int64_t key = mac_to_i64(mac), id = 0;
	sqlite3_stmt *st;
	int err, rc;

	if (!ev || !ev->signal || !*ev->signal || !ev->field || !*ev->field || !ev->value ||
	    ev->confidence > 100)
		return -EINVAL;
	err = op_begin(inv);
	if (err)
		return err;
	st = inv->st[ST_EVIDENCE_UPSERT];
	sqlite3_bind_int64(st, 1, key);
	sqlite3_bind_text(st, 2, ev->signal, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ev->field, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, ev->value, -1, SQLITE_STATIC);
	if (ev->rule && *ev->rule)
		sqlite3_bind_text(st, 5, ev->rule, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 5);
	sqlite3_bind_int(st, 6, ev->confidence);
	sqlite3_bind_int64(st, 7, when);
	sqlite3_bind_int64(st, 8, inv->lim.touch_interval_s);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	err = rc == SQLITE_DONE ? 0 : sql_err(inv->db, rc);
	if (!err && id && inv->lim.max_evidence_per_device) {
		st = inv->st[ST_EVIDENCE_CAP];
		sqlite3_bind_int64(st, 1, key);
		sqlite3_bind_int64(st, 2, id);
		sqlite3_bind_int64(st, 3, inv->lim.max_evidence_per_device - 1);
		err = run(inv, st);
	}
	return op_end(inv, err);
}

static void bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int vw_inventory_add_decision(struct vw_inventory *inv, const uint8_t mac[6],
			      const struct vw_decision *d)
{
	sqlite3_stmt *st;
	int err;

	if (!d || !d->kind || !*d->kind)
		return -EINVAL;
	err = op_begin(inv);
	if (err)
		return err;
	st = inv->st[ST_DECISION_INSERT];
	if (mac)
		sqlite3_bind_int64(st, 1, mac_to_i64(mac));
	else
		sqlite3_bind_null(st, 1);
	bind_opt_text(st, 2, d->segment);
	sqlite3_bind_text(st, 3, d->kind, -1, SQLITE_STATIC);
	bind_opt_text(st, 4, d->detail);
	sqlite3_bind_int64(st, 5, d->uid);
	bind_opt_text(st, 6, d->comm);
	sqlite3_bind_int64(st, 7, d->at);
	sqlite3_bind_int64(st, 8, d->until);
	err = run(inv, st);
	sqlite3_clear_bindings(st);
	return op_end(inv, err);
}

int vw_inventory_add_history(struct vw_inventory *inv, const char *kind, const char *what,
			     const char *segment, const char *detail, int64_t at)
{
	sqlite3_stmt *st;
	int err;

	if (!kind || !*kind || !what || !*what)
		return -EINVAL;
	err = op_begin(inv);
	if (err)
		return err;
	st = inv->st[ST_HISTORY_INSERT];
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, what, -1, SQLITE_STATIC);
	bind_opt_text(st, 4, segment);
	bind_opt_text(st, 5, detail);
	err = run(inv, st);
	sqlite3_clear_bindings(st);
	if (!err) {
		sqlite3_bind_int64(inv->st[ST_HISTORY_CAP], 1, VW_INVENTORY_HISTORY_MAX);
		err = run(inv, inv->st[ST_HISTORY_CAP]);
	}
	return op_end(inv, err);
}

/* ---- reading ------------------------------------------------------------ */

/* Copies a nullable text column; NULL stays NULL. */
static int col_dup(sqlite3_stmt *st, int i, char **dst)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	*dst = NULL;
	if (!s)
		return sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : -ENOMEM;
	*dst = strdup(s);
	return *dst ? 0 : -ENOMEM;
}

static void decision_free(struct vw_inventory_decision *x)
{
	free(x->d.kind);
	free(x->d.segment);
	free(x->d.detail);
	free(x->d.comm);
}

static int decision_from_row(sqlite3_stmt *st, struct vw_inventory_decision *x)
{
	int err;

	memset(x, 0, sizeof(*x));
	x->has_mac = sqlite3_column_type(st, 0) != SQLITE_NULL;
	if (x->has_mac)
		mac_from_i64(x->mac, sqlite3_column_int64(st, 0));
	x->d.uid = sqlite3_column_int64(st, 4);
	x->d.at = sqlite3_column_int64(st, 6);
	x->d.until = sqlite3_column_int64(st, 7);
	err = col_dup(st, 1, &x->d.segment);
	if (!err)
		err = col_dup(st, 2, &x->d.kind);
	if (!err)
		err = col_dup(st, 3, &x->d.detail);
	if (!err)
		err = col_dup(st, 5, &x->d.comm);
	if (err)
		decision_free(x);
	return err;
}

void vw_inventory_device_free(struct vw_inventory_device *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_segments; i++)
		free(d->segments[i].name);
	for (size_t i = 0; i < d->n_evidence; i++) {
		free(d->evidence[i].e.signal);
		free(d->evidence[i].e.field);
		free(d->evidence[i].e.value);
		free(d->evidence[i].e.rule);
	}
	for (size_t i = 0; i < d->n_decisions; i++)
		decision_free(&d->decisions[i]);
	free(d->segments);
	free(d->addresses);
	free(d->evidence);
	free(d->decisions);
	memset(d, 0, sizeof(*d));
}

/* Grows *v (of *n elements) by one zeroed element; returns it or NULL. */
static void *grow(void *v, size_t *n, size_t size, void **out)
{
	char *p = realloc(v, (*n + 1) * size);

	if (!p)
		return NULL;
	memset(p + *n * size, 0, size);
	*out = p;
	return p + (*n)++ * size;
}

/* Steps st to its end, calling row on each row; st is left to the caller
 * to reset or finalize. Returns the first error of row or of SQLite. */
static int step_rows(struct vw_inventory *inv, sqlite3_stmt *st,
		     int (*row)(void *ctx, sqlite3_stmt *st), void *ctx)
{
	int rc, err = 0;

	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW)
		err = row(ctx, st);
	if (!err && rc != SQLITE_DONE)
		err = sql_err(inv->db, rc);
	return err;
}

static int segment_row(void *ctx, sqlite3_stmt *st)
{
	struct vw_inventory_device *d = ctx;
	void *nv = NULL;
	struct vw_inventory_segment *s = grow(d->segments, &d->n_segments, sizeof(*s), &nv);

	if (!s)
		return -ENOMEM;
	d->segments = nv;
	s->first_seen = sqlite3_column_int64(st, 1);
	s->last_seen = sqlite3_column_int64(st, 2);
	return col_dup(st, 0, &s->name);
}

static int address_row(void *ctx, sqlite3_stmt *st)
{
	struct vw_inventory_device *d = ctx;
	void *nv = NULL;
	struct vw_inventory_address *a = grow(d->addresses, &d->n_addresses, sizeof(*a), &nv);

	if (!a)
		return -ENOMEM;
	d->addresses = nv;
	a->family = sqlite3_column_int(st, 0);
	snprintf(a->addr, sizeof(a->addr), "%s", (const char *)sqlite3_column_text(st, 1) ?: "");
	a->first_seen = sqlite3_column_int64(st, 2);
	a->last_seen = sqlite3_column_int64(st, 3);
	return 0;
}

static int evidence_row(void *ctx, sqlite3_stmt *st)
{
	struct vw_inventory_device *d = ctx;
	void *nv = NULL;
	struct vw_inventory_evidence *e = grow(d->evidence, &d->n_evidence, sizeof(*e), &nv);
	int err;

	if (!e)
		return -ENOMEM;
	d->evidence = nv;
	e->e.confidence = sqlite3_column_int(st, 4);
	e->first_seen = sqlite3_column_int64(st, 5);
	e->last_seen = sqlite3_column_int64(st, 6);
	err = col_dup(st, 0, &e->e.signal);
	if (!err)
		err = col_dup(st, 1, &e->e.field);
	if (!err)
		err = col_dup(st, 2, &e->e.value);
	if (!err)
		err = col_dup(st, 3, &e->e.rule);
	return err;
}

static int decision_row(void *ctx, sqlite3_stmt *st)
{
	struct vw_inventory_device *d = ctx;
	void *nv = NULL;
	struct vw_inventory_decision *x = grow(d->decisions, &d->n_decisions, sizeof(*x), &nv);

	if (!x)
		return -ENOMEM;
	d->decisions = nv;
	return decision_from_row(st, x);
}

/* Loads the child rows of d (whose mac and scalar columns are set). */
static int load_children(struct vw_inventory *inv, struct vw_inventory_device *d, int64_t key)
{
	static const struct {
		enum stmt_id id;
		int (*row)(void *ctx, sqlite3_stmt *st);
	} kinds[] = {
		{ ST_SEGMENTS_GET, segment_row },
		{ ST_ADDRESSES_GET, address_row },
		{ ST_EVIDENCE_GET, evidence_row },
		{ ST_DECISIONS_GET, decision_row },
	};
	int err = 0;

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]) && !err; k++) {
		sqlite3_stmt *st = inv->st[kinds[k].id];

		sqlite3_bind_int64(st, 1, key);
		err = step_rows(inv, st, kinds[k].row, d);
		sqlite3_reset(st);
	}
	return err;
}

/* Fills d from a row of DEVICE_COLS, then its children. */
static int device_from_row(struct vw_inventory *inv, sqlite3_stmt *st,
			   struct vw_inventory_device *d)
{
	int64_t key = sqlite3_column_int64(st, 0);
	int err;

	memset(d, 0, sizeof(*d));
	mac_from_i64(d->mac, key);
	snprintf(d->vendor, sizeof(d->vendor), "%s",
		 (const char *)sqlite3_column_text(st, 1) ?: "");
	snprintf(d->verdict, sizeof(d->verdict), "%s",
		 (const char *)sqlite3_column_text(st, 2) ?: "");
	d->first_seen = sqlite3_column_int64(st, 3);
	d->last_seen = sqlite3_column_int64(st, 4);
	d->verdict_since = sqlite3_column_int64(st, 5);
	snprintf(d->outcome, sizeof(d->outcome), "%s",
		 (const char *)sqlite3_column_text(st, 6) ?: "");
	err = load_children(inv, d, key);
	if (err)
		vw_inventory_device_free(d);
	return err;
}

int vw_inventory_get(struct vw_inventory *inv, const uint8_t mac[6],
		     struct vw_inventory_device *out)
{
	sqlite3_stmt *st = inv->st[ST_DEVICE_GET];
	int rc, err;

	memset(out, 0, sizeof(*out));
	sqlite3_bind_int64(st, 1, mac_to_i64(mac));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		err = device_from_row(inv, st, out);
	else
		err = rc == SQLITE_DONE ? -ENOENT : sql_err(inv->db, rc);
	sqlite3_reset(st);
	return err;
}

/* The filter of list and count: ?1 vendor, ?2 segment, ?3 since. */
#define FILTER_WHERE \
	" WHERE (?1 IS NULL OR d.vendor = ?1)" \
	"  AND (CASE WHEN ?2 IS NULL THEN d.last_seen >= ?3" \
	"       ELSE EXISTS (SELECT 1 FROM sighting s WHERE s.mac = d.mac" \
	"                    AND s.segment = ?2 AND s.last_seen >= ?3) END)"

static void bind_filter(sqlite3_stmt *st, const struct vw_inventory_filter *f)
{
	bind_opt_text(st, 1, f && f->vendor ? f->vendor : NULL);
	bind_opt_text(st, 2, f && f->segment ? f->segment : NULL);
	sqlite3_bind_int64(st, 3, f ? f->since : INT64_MIN);
}

int vw_inventory_count_matching(struct vw_inventory *inv, const struct vw_inventory_filter *f,
				size_t *n)
{
	static const char sql[] = "SELECT count(*) FROM device d" FILTER_WHERE;
	/* Devices on a segment, the status line of every segment: one range
	 * of sighting_by_segment (one row per device and segment) instead of
	 * a probe per device, which a flood of new MACs makes slow. */
	static const char by_segment[] = "SELECT count(*) FROM sighting"
		" WHERE segment = ?2 AND last_seen >= ?3 AND ?1 IS NULL";
	bool seg_only = f && f->segment && !f->vendor;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(inv->db, seg_only ? by_segment : sql, -1, &st, NULL);

	if (rc == SQLITE_OK) {
		bind_filter(st, f);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			*n = (size_t)sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	/* A count reads a whole table or index (2 MiB of pages with 100,000
	 * devices) that the inserts and probes after it do not need cached. */
	sqlite3_db_release_memory(inv->db);
	return rc == SQLITE_ROW ? 0 : sql_err(inv->db, rc);
}

/* A device list's callback, applied to each row of DEVICE_COLS. */
struct device_visit {
	struct vw_inventory *inv;
	int (*cb)(void *ctx, const struct vw_inventory_device *d);
	void *ctx;
};

static int device_visit_row(void *ctx, sqlite3_stmt *st)
{
	struct device_visit *v = ctx;
	struct vw_inventory_device d;
	int err = device_from_row(v->inv, st, &d);

	if (err)
		return err;
	err = v->cb(v->ctx, &d);
	vw_inventory_device_free(&d);
	return err;
}

int vw_inventory_list(struct vw_inventory *inv, const struct vw_inventory_filter *f,
		      int (*cb)(void *ctx, const struct vw_inventory_device *d), void *ctx)
{
	/* Prepared per call, not cached, so cb may call vw_inventory_get or
	 * even list again. */
	static const char sql[] =
		"SELECT " DEVICE_COLS " FROM device d" FILTER_WHERE
		" ORDER BY d.last_seen DESC, d.mac";
	struct device_visit v = { inv, cb, ctx };
	sqlite3_stmt *st = NULL;
	int rc, err;

	if (!cb)
		return -EINVAL;
	rc = sqlite3_prepare_v2(inv->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		err = sql_err(inv->db, rc);
	} else {
		bind_filter(st, f);
		err = step_rows(inv, st, device_visit_row, &v);
	}
	sqlite3_finalize(st);
	return err;
}

int vw_inventory_list_page(struct vw_inventory *inv, const struct vw_inventory_filter *f,
			   const uint8_t after[6], size_t limit,
			   int (*cb)(void *ctx, const struct vw_inventory_device *d), void *ctx)
{
	/* The MAC is the rowid: a page is a range scan, whatever came before. */
	static const char sql[] =
		"SELECT " DEVICE_COLS " FROM device d" FILTER_WHERE
		" AND d.mac > ?4 ORDER BY d.mac LIMIT ?5";
	struct device_visit v = { inv, cb, ctx };
	sqlite3_stmt *st = NULL;
	int rc, err;

	if (!cb || !limit || limit > INT64_MAX)
		return -EINVAL;
	rc = sqlite3_prepare_v2(inv->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		err = sql_err(inv->db, rc);
	} else {
		bind_filter(st, f);
		sqlite3_bind_int64(st, 4, after ? mac_to_i64(after) : -1);
		sqlite3_bind_int64(st, 5, (int64_t)limit);
		err = step_rows(inv, st, device_visit_row, &v);
	}
	sqlite3_finalize(st);
	return err;
}

struct decision_visit {
	int (*cb)(void *ctx, const struct vw_inventory_decision *d);
	void *ctx;
};

static int decision_visit_row(void *ctx, sqlite3_stmt *st)
{
	struct decision_visit *v = ctx;
	struct vw_inventory_decision x;
	int err = decision_from_row(st, &x);

	if (err)
		return err;
	err = v->cb(v->ctx, &x);
	decision_free(&x);
	return err;
}

int vw_inventory_list_decisions(struct vw_inventory *inv, const uint8_t mac[6], int64_t since,
				int (*cb)(void *ctx, const struct vw_inventory_decision *d),
				void *ctx)
{
	static const char sql[] =
		"SELECT " DECISION_COLS " FROM decision WHERE (?1 IS NULL OR mac = ?1) AND at >= ?2"
		" ORDER BY at, id";
	struct decision_visit v = { cb, ctx };
	sqlite3_stmt *st = NULL;
	int rc, err;

	if (!cb)
		return -EINVAL;
	rc = sqlite3_prepare_v2(inv->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		err = sql_err(inv->db, rc);
	} else {
		if (mac)
			sqlite3_bind_int64(st, 1, mac_to_i64(mac));
		sqlite3_bind_int64(st, 2, since);
		err = step_rows(inv, st, decision_visit_row, &v);
	}
	sqlite3_finalize(st);
	return err;
}

int vw_inventory_count(struct vw_inventory *inv, size_t *n)
{
	int64_t v;
	int err = query_int(inv, "SELECT count(*) FROM device", &v);

	if (!err)
		*n = v;
	sqlite3_db_release_memory(inv->db);   /* as in vw_inventory_count_matching */
	return err;
}

/* ---- open / close ------------------------------------------------------- */

/* The file's schema version; -EPROTO when this build cannot read it. */
static int schema_version(struct vw_inventory *inv, int64_t *ver)
{
	int err = query_int(inv, "PRAGMA user_version", ver);

	if (!err && (*ver > VW_INVENTORY_SCHEMA_VERSION || *ver < 0))
		err = -EPROTO;
	return err;
}

/* Brings the schema to VW_INVENTORY_SCHEMA_VERSION in one transaction, so
 * a crash mid-way leaves the old version intact. */
static int migrate(struct vw_inventory *inv)
{
	char sql[64];
	int64_t ver, ntables;
	int err;

	err = exec(inv, "BEGIN IMMEDIATE");
	if (err)
		return err;
	/* Read again under the write lock: another opener may have migrated. */
	err = schema_version(inv, &ver);
	if (err)
		goto out;
	if (ver == 0) {
		/* Version 0 with tables is somebody else's database. */
		err = query_int(inv, "SELECT count(*) FROM sqlite_master", &ntables);
		if (!err && ntables)
			err = -EBADMSG;
		if (err)
			goto out;
	}
	for (; ver < VW_INVENTORY_SCHEMA_VERSION && !err; ver++)
		err = exec(inv, migrations[ver]);
	if (err)
		goto out;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", VW_INVENTORY_SCHEMA_VERSION);
	err = exec(inv, sql);
out:
	if (!err)
		err = exec(inv, "COMMIT");
	if (err && !sqlite3_get_autocommit(inv->db))
		exec(inv, "ROLLBACK");
	return err;
}

void vw_inventory_close(struct vw_inventory *inv)
{
	if (!inv)
		return;
	for (int i = 0; i < ST_MAX; i++)
		sqlite3_finalize(inv->st[i]);
	/* An open batch is rolled back by SQLite; the last connection also
	 * checkpoints the WAL into the main file. */
	sqlite3_close_v2(inv->db);
	free(inv);
}

/* WAL: readers (vendorwallctl) never block the daemon, and a crash
 * loses at most the last transactions, never the file. NORMAL skips
 * the fsync per commit, which WAL makes safe against corruption. */
static int set_journal(struct vw_inventory *inv)
{
	sqlite3_stmt *st = NULL;
	int rc, err = 0;

	rc = sqlite3_prepare_v2(inv->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		err = sql_err(inv->db, rc);
	else if (strcmp((const char *)sqlite3_column_text(st, 0) ?: "", "wal"))
		err = -EOPNOTSUPP;
	/* A statement left mid-way would make the COMMITs that follow fail. */
	sqlite3_finalize(st);
	if (err)
		return err;
	return exec(inv, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
}

static int prepare_statements(struct vw_inventory *inv)
{
	for (int i = 0; i < ST_MAX; i++) {
		int rc = sqlite3_prepare_v3(inv->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
					    &inv->st[i], NULL);

		/* The right version but not our tables: not an inventory. */
		if (rc != SQLITE_OK)
			return rc == SQLITE_ERROR ? -EBADMSG : sql_err(inv->db, rc);
	}
	return 0;
}

/* The inventory names devices, addresses and who decided what: readable
 * by its owner only. SQLite gives the -wal and -shm files the database's
 * mode, so the file is created (or an older one tightened) first. */
static int owner_only(const char *path)
{
	char side[PATH_MAX];
	int fd, err = 0;

	if (path[0] == ':')   /* ":memory:" and friends: no file */
		return 0;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0600) < 0)
		err = -errno;
	close(fd);
	for (int i = 0; !err && i < 2; i++) {
		snprintf(side, sizeof(side), "%s%s", path, i ? "-shm" : "-wal");
		if (chmod(side, 0600) < 0 && errno != ENOENT)
			err = -errno;
	}
	return err;
}

int vw_inventory_apply_cap(struct vw_inventory *inv)
{
	int err;

	if (!inv->lim.max_devices)
		return 0;
	err = op_begin(inv);
	if (!err)
		err = op_end(inv, enforce_device_cap(inv, -1));
	/* Counting the devices read a whole index into the page cache;
	 * nothing else needs those pages now. */
	sqlite3_db_release_memory(inv->db);
	return err;
}

int vw_inventory_open(struct vw_inventory **out, const char *path,
		      const struct vw_inventory_limits *lim)
{
	struct vw_inventory *inv;
	int64_t ver;
	int rc, err;

	*out = NULL;
	if (!path || !*path)
		return -EINVAL;
	rc = owner_only(path);
	if (rc)
		return rc;
	inv = calloc(1, sizeof(*inv));
	if (!inv)
		return -ENOMEM;
	if (lim)
		inv->lim = *lim;
	if (!inv->lim.busy_timeout_ms)
		inv->lim.busy_timeout_ms = 1000;

	/* NOMUTEX: the handle belongs to one thread (the event loop). */
	rc = sqlite3_open_v2(path, &inv->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		err = inv->db ? sql_err(inv->db, rc) : -ENOMEM;
		goto out;
	}
	sqlite3_extended_result_codes(inv->db, 1);
	sqlite3_busy_timeout(inv->db, inv->lim.busy_timeout_ms);

	/* The version is checked before anything is changed in the file, so a
	 * newer daemon's database is left exactly as it was. The first read
	 * is also where a file of garbage shows up as NOTADB. */
	err = schema_version(inv, &ver);
	if (err)
		goto out;
	err = set_journal(inv);
	if (err)
		goto out;
	if (ver < VW_INVENTORY_SCHEMA_VERSION) {
		err = migrate(inv);
		if (err)
			goto out;
	}
	err = prepare_statements(inv);
	if (err)
		goto out;
	/* A smaller max_devices in the configuration applies right away. */
	if (!inv->lim.cap_after_open) {
		err = vw_inventory_apply_cap(inv);
		if (err)
			goto out;
	}
	*out = inv;
	inv = NULL;
out:
	vw_inventory_close(inv);
	return err;
}

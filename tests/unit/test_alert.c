// SPDX-License-Identifier: GPL-2.0-only
/* Tests for daemon/lib/alert.c (and journal.c under it): every alert kind as
 * it reaches journald. In a private mount namespace the test binds the
 * journal's own socket path, /run/systemd/journal/socket, and reads the
 * datagrams libsystemd sends there in the native protocol, so what is
 * checked is the bytes journald would store, field by field. Needs root
 * (mount namespace); e2e/datapath.sh reads alerts back from a real
 * journald. */
#include "unit.h"
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include "alert.h"
#include "names.h"
#include "alert_ids.h"
#include "journal.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
#define MAX_FIELDS 64

static int sock = -1;
static const char *no_root;   /* why every test is skipped, or NULL */

struct entry {
	char *key[MAX_FIELDS], *val[MAX_FIELDS];
	size_t n;
	char *raw;
};

/* ---- the journal's side of the socket ----------------------------------- */

static int setup_journal(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = JOURNAL_SOCKET };
	struct timeval tv = { .tv_sec = 5 };

	if (geteuid() != 0) {
		no_root = "needs root for a private mount namespace";
		print_message("# every test skipped: %s\n", no_root);
		return 0;
	}
	/* Our /run only: nothing we do here is seen outside this process. */
	assert_int_equal(unshare(CLONE_NEWNS), 0);
	assert_int_equal(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	assert_int_equal(mount("vw-alert-run", "/run", "tmpfs", 0, "mode=0755,size=4m"), 0);
	assert_int_equal(mkdir("/run/systemd", 0755), 0);
	assert_int_equal(mkdir("/run/systemd/journal", 0755), 0);
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(sock >= 0);
	assert_int_equal(bind(sock, (struct sockaddr *)&sa, sizeof(sa)), 0);
	/* A missing datagram fails the test instead of hanging it. */
	assert_int_equal(setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	vw_log_set_stderr(0);
	return 0;
}

static int teardown_journal(void **state)
{
	if (sock >= 0)
		close(sock);
	return 0;
}

/* Native protocol: "KEY=value\n", or "KEY\n" + 64-bit LE length + value +
 * "\n" for values with a newline. */
static void parse_entry(struct entry *e, char *p, size_t n)
{
	char *end = p + n;

	while (p < end) {
		char *nl = memchr(p, '\n', end - p), *eq;

		assert_non_null(nl);
		assert_true(e->n < MAX_FIELDS);
		eq = memchr(p, '=', nl - p);
		if (eq) {
			e->key[e->n] = strndup(p, eq - p);
			e->val[e->n] = strndup(eq + 1, nl - eq - 1);
			p = nl + 1;
		} else {
			uint64_t len = 0;

			e->key[e->n] = strndup(p, nl - p);
			p = nl + 1;
			assert_true(end - p >= 8);
			for (int i = 7; i >= 0; i--)
				len = len << 8 | (uint8_t)p[i];
			p += 8;
			assert_true((uint64_t)(end - p) > len && p[len] == '\n');
			e->val[e->n] = strndup(p, len);
			p += len + 1;
		}
		e->n++;
	}
}

/* The next entry sent; a large one comes as a memfd (SCM_RIGHTS). */
static void next_entry(struct entry *e)
{
	static char buf[1 << 17];
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } cm;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = &cm, .msg_controllen = sizeof(cm) };
	struct cmsghdr *c;
	ssize_t n;

	memset(e, 0, sizeof(*e));
	n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	if (n < 0)
		fail_msg("no journal entry within 5 s: %s", strerror(errno));
	c = CMSG_FIRSTHDR(&mh);
	if (c && c->cmsg_type == SCM_RIGHTS) {
		int fd;
		struct stat st;

		memcpy(&fd, CMSG_DATA(c), sizeof(fd));
		assert_int_equal(fstat(fd, &st), 0);
		e->raw = malloc(st.st_size + 1);
		assert_int_equal(pread(fd, e->raw, st.st_size, 0), st.st_size);
		close(fd);
		n = st.st_size;
	} else {
		e->raw = malloc(n + 1);
		memcpy(e->raw, buf, n);
	}
	e->raw[n] = '\0';
	parse_entry(e, e->raw, n);
}

static void entry_free(struct entry *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->key[i]);
		free(e->val[i]);
	}
	free(e->raw);
}

/* Nothing else was sent: every alert is exactly one entry. */
static void assert_no_more(void)
{
	char b;

	assert_int_equal(recv(sock, &b, 1, MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
}

static size_t count(const struct entry *e, const char *key)
{
	size_t k = 0;

	for (size_t i = 0; i < e->n; i++)
		k += !strcmp(e->key[i], key);
	return k;
}

/* Fields other than the CODE_* location libsystemd adds to every entry. */
static size_t own_fields(const struct entry *e)
{
	size_t k = 0;

	for (size_t i = 0; i < e->n; i++)
		k += strncmp(e->key[i], "CODE_", 5) != 0;
	return k;
}

static const char *field(const struct entry *e, const char *key)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->key[i], key))
			return e->val[i];
	return NULL;
}

/* KEY is there exactly once, with this value. */
static void assert_field(const struct entry *e, const char *key, const char *want)
{
	const char *got = field(e, key);

	if (!got)
		fail_msg("no field %s in: %s", key, e->raw);
	assert_int_equal(count(e, key), 1);
	assert_string_equal(got, want);
}

static void assert_header(const struct entry *e, const char *mid, int prio)
{
	char p[4];

	snprintf(p, sizeof(p), "%d", prio);
	assert_field(e, "MESSAGE_ID", mid);
	assert_field(e, "PRIORITY", p);
	assert_field(e, "SYSLOG_IDENTIFIER", "vendorwalld");
}

#define NEED_ROOT() do { if (no_root) skip(); } while (0)

/* ---- device alerts ------------------------------------------------------- */

static const struct vw_event monitor_ev = {
	.version = VW_EVENT_VERSION, .kind = VW_EVENT_FIRST, .direction = VW_DIR_INGRESS,
	.reason = VW_REASON_OUI, .verdict = VW_VERDICT_WOULD_DROP, .mode = VW_MODE_MONITOR,
	.vendor = 1, .mac = { 0x00, 0xe0, 0xfc, 0x12, 0x34, 0x56 }, .vlan = 0, .ifindex = 7,
	.slot = 0, .ethertype = 0x0800,
};

static struct vw_device_alert device_alert(const struct vw_event *ev)
{
	return (struct vw_device_alert){
		.ev = ev, .vendor_id = "huawei", .vendor_name = "Huawei Technologies",
		.segment = "lan", .ifname = "lan0", .profiles = "us-ndaa-889 uk-2020",
		.policy_version = "0123456789abcdef", .ipv4 = "192.0.2.11",
		.ipv6 = "",
	};
}

static void test_detected(void **state)
{
	struct vw_device_alert a = device_alert(&monitor_ev);
	struct entry e;

	NEED_ROOT();
	assert_int_equal(vw_alert_device(&a), 0);
	next_entry(&e);
	assert_header(&e, VW_MID_DETECTED, LOG_WARNING);
	assert_field(&e, "MESSAGE", "Restricted device 00:e0:fc:12:34:56 (Huawei Technologies) detected "
		     "on segment lan (lan0), monitor mode: would-drop");
	assert_field(&e, "VW_MAC", "00:e0:fc:12:34:56");
	assert_field(&e, "VW_VENDOR", "huawei");
	assert_field(&e, "VW_VENDOR_NAME", "Huawei Technologies");
	assert_field(&e, "VW_OUI", "00:e0:fc");
	assert_field(&e, "VW_EVIDENCE", "oui");
	assert_field(&e, "VW_CONFIDENCE", "0.90");
	assert_field(&e, "VW_REASON", "oui");
	assert_field(&e, "VW_SEGMENT", "lan");
	assert_field(&e, "VW_INTERFACE", "lan0");
	assert_field(&e, "VW_IFINDEX", "7");
	assert_field(&e, "VW_VLAN", "0");
	assert_field(&e, "VW_DIRECTION", "ingress");
	assert_field(&e, "VW_ETHERTYPE", "0x0800");
	assert_field(&e, "VW_ACTION", "would-drop");
	assert_field(&e, "VW_VERDICT", "restricted");
	assert_field(&e, "VW_MODE", "monitor");
	assert_field(&e, "VW_IPV4", "192.0.2.11");
	assert_int_equal(count(&e, "VW_IPV6"), 0);   /* unknown: no empty field */
	assert_field(&e, "VW_PROFILE", "us-ndaa-889 uk-2020");
	assert_field(&e, "VW_POLICY_VERSION", "0123456789abcdef");
	/* 3 header fields, MESSAGE, 19 VW_ fields: nothing unexpected */
	assert_int_equal(own_fields(&e), 23);
	entry_free(&e);
	assert_no_more();
}

/* Drop and redirect are "blocked"; an egress frame on a VLAN says so; a
 * fingerprint verdict carries its evidence and confidence. */
static void test_blocked(void **state)
{
	struct vw_event ev = monitor_ev;
	struct vw_device_alert a;
	struct entry e;

	NEED_ROOT();
	ev.verdict = VW_VERDICT_DROP;
	ev.mode = VW_MODE_BLOCK;
	ev.direction = VW_DIR_EGRESS;
	ev.reason = VW_REASON_DEVICE;
	ev.vlan = 42;
	ev.ethertype = 0x86dd;
	ev.mac[0] = 0x02;
	a = device_alert(&ev);
	a.evidence = "lldp:system-description=Huawei Versatile Routing Platform";
	a.confidence = "0.90";
	a.ipv4 = NULL;
	a.ipv6 = "fe80::1,2001:db8::7";
	assert_int_equal(vw_alert_device(&a), 0);
	next_entry(&e);
	assert_header(&e, VW_MID_BLOCKED, LOG_WARNING);
	assert_field(&e, "MESSAGE", "Restricted device 02:e0:fc:12:34:56 (Huawei Technologies) blocked "
		     "on segment lan (lan0 VLAN 42), block mode: dropped; evidence "
		     "lldp:system-description=Huawei Versatile Routing Platform");
	assert_field(&e, "VW_EVIDENCE", "lldp:system-description=Huawei Versatile Routing Platform");
	assert_field(&e, "VW_CONFIDENCE", "0.90");
	assert_field(&e, "VW_REASON", "device");
	assert_field(&e, "VW_VLAN", "42");
	assert_field(&e, "VW_DIRECTION", "egress");
	assert_field(&e, "VW_ETHERTYPE", "0x86dd");
	assert_field(&e, "VW_ACTION", "dropped");
	assert_field(&e, "VW_MODE", "block");
	assert_field(&e, "VW_OUI", "02:e0:fc");
	assert_field(&e, "VW_IPV6", "fe80::1,2001:db8::7");
	assert_int_equal(count(&e, "VW_IPV4"), 0);
	entry_free(&e);

	ev.verdict = VW_VERDICT_REDIRECT;
	ev.reason = VW_REASON_QUARANTINE;
	a = device_alert(&ev);
	a.segment = NULL;     /* an unmanaged interface */
	assert_int_equal(vw_alert_device(&a), 0);
	next_entry(&e);
	assert_header(&e, VW_MID_BLOCKED, LOG_WARNING);
	assert_field(&e, "VW_ACTION", "redirected");
	assert_field(&e, "VW_EVIDENCE", "operator-quarantine");
	assert_field(&e, "VW_CONFIDENCE", "operator");
	assert_field(&e, "VW_REASON", "quarantine");
	assert_field(&e, "VW_SEGMENT", "");
	assert_true(strstr(field(&e, "MESSAGE"), " on segment - (lan0 VLAN 42)") != NULL);
	entry_free(&e);
	assert_no_more();
}

static void test_reminder(void **state)
{
	struct vw_event ev = monitor_ev;
	struct vw_device_alert a;
	struct entry e;

	NEED_ROOT();
	ev.kind = VW_EVENT_REMINDER;
	ev.verdict = VW_VERDICT_DROP;   /* a reminder wins over the verdict */
	ev.reason = VW_REASON_DEVICE;
	a = device_alert(&ev);
	assert_int_equal(vw_alert_device(&a), 0);
	next_entry(&e);
	assert_header(&e, VW_MID_REMINDER, LOG_NOTICE);
	assert_true(strstr(field(&e, "MESSAGE"), ") still present on segment lan") != NULL);
	assert_field(&e, "VW_EVIDENCE", "device-verdict");
	assert_field(&e, "VW_CONFIDENCE", "operator");
	entry_free(&e);
	assert_no_more();
}

/* ---- daemon alerts ------------------------------------------------------- */

static void test_mode_changed(void **state)
{
	struct entry e;

	NEED_ROOT();
	assert_int_equal(vw_alert_mode_changed("lan", "lan0", VW_MODE_MONITOR, VW_MODE_BLOCK,
					       "vendorwallctl mode by uid 0"), 0);
	next_entry(&e);
	assert_header(&e, VW_MID_MODE_CHANGED, LOG_NOTICE);
	assert_field(&e, "MESSAGE", "Segment lan (lan0) mode changed from monitor to block "
		     "(vendorwallctl mode by uid 0)");
	assert_field(&e, "VW_SEGMENT", "lan");
	assert_field(&e, "VW_INTERFACE", "lan0");
	assert_field(&e, "VW_MODE", "block");
	assert_field(&e, "VW_OLD_MODE", "monitor");
	assert_int_equal(own_fields(&e), 8);
	entry_free(&e);
	assert_no_more();
}

static void test_policy_loaded(void **state)
{
	struct entry e;

	NEED_ROOT();
	assert_int_equal(vw_alert_policy_loaded("us-ndaa-889", "00000000deadbeef", 1234, 2, 0), 0);
	next_entry(&e);
	assert_header(&e, VW_MID_POLICY_LOADED, LOG_INFO);
	assert_field(&e, "MESSAGE", "Policy loaded: profile(s) us-ndaa-889, 1234 prefixes, "
		     "2 segment(s), version 00000000deadbeef");
	assert_field(&e, "VW_PROFILE", "us-ndaa-889");
	assert_field(&e, "VW_POLICY_VERSION", "00000000deadbeef");
	assert_field(&e, "VW_PREFIXES", "1234");
	entry_free(&e);
	assert_int_equal(vw_alert_policy_loaded("a b", "1", 0, 0, 1), 0);
	next_entry(&e);
	assert_true(!strncmp(field(&e, "MESSAGE"), "Policy reloaded: ", 17));
	entry_free(&e);
	assert_no_more();
}

/* Every message a rejected reload had, up to 20 fields; the first in MESSAGE. */
static void test_reload_rejected(void **state)
{
	const char *msgs[25];
	char bufs[25][64];
	struct entry e;

	NEED_ROOT();
	for (int i = 0; i < 25; i++) {
		snprintf(bufs[i], sizeof(bufs[i]), "/etc/vendorwall.conf:%d: bad key", i + 1);
		msgs[i] = bufs[i];
	}
	assert_int_equal(vw_alert_reload_rejected("/etc/vendorwall.conf", msgs, 1), 0);
	next_entry(&e);
	assert_header(&e, VW_MID_RELOAD_REJECTED, LOG_ERR);
	assert_field(&e, "MESSAGE", "Configuration or policy rejected, running state kept: "
		     "/etc/vendorwall.conf:1: bad key");
	assert_field(&e, "VW_ERROR", "/etc/vendorwall.conf:1: bad key");
	entry_free(&e);

	assert_int_equal(vw_alert_reload_rejected("/etc/vendorwall.conf", msgs, 25), 0);
	next_entry(&e);
	assert_field(&e, "MESSAGE", "Configuration or policy rejected, running state kept: "
		     "/etc/vendorwall.conf:1: bad key (and more)");
	assert_int_equal(count(&e, "VW_ERROR"), 20);
	for (size_t i = 0, k = 0; i < e.n; i++)
		if (!strcmp(e.key[i], "VW_ERROR"))
			assert_string_equal(e.val[i], msgs[k++]);
	entry_free(&e);

	/* no message at all: the path stands in */
	assert_int_equal(vw_alert_reload_rejected("/etc/vendorwall.conf", NULL, 0), 0);
	next_entry(&e);
	assert_field(&e, "MESSAGE", "Configuration or policy rejected, running state kept: "
		     "/etc/vendorwall.conf");
	assert_int_equal(count(&e, "VW_ERROR"), 0);
	entry_free(&e);
	assert_no_more();
}

static void test_attach_failed(void **state)
{
	struct entry e;

	NEED_ROOT();
	assert_int_equal(vw_alert_attach_failed("hp", "hp0", -ENODEV), 0);
	next_entry(&e);
	assert_header(&e, VW_MID_ATTACH_FAILED, LOG_ERR);
	assert_field(&e, "MESSAGE", "Cannot attach to hp0 for segment hp: No such device");
	assert_field(&e, "VW_SEGMENT", "hp");
	assert_field(&e, "VW_INTERFACE", "hp0");
	assert_field(&e, "ERRNO", "19");
	entry_free(&e);
	assert_no_more();
}

static void test_quarantine_cap(void **state)
{
	struct entry e;

	NEED_ROOT();
	assert_int_equal(vw_alert_quarantine_cap("lan", "lan0", 10, "00:e0:fc:00:00:0b"), 0);
	next_entry(&e);
	assert_header(&e, VW_MID_QUARANTINE_CAP, LOG_ERR);
	assert_field(&e, "MESSAGE", "Quarantine cap of 10 new device(s) per hour reached on segment "
		     "lan (lan0): 00:e0:fc:00:00:0b and later new devices are only monitored");
	assert_field(&e, "VW_CAP", "10");
	assert_field(&e, "VW_MAC", "00:e0:fc:00:00:0b");
	assert_field(&e, "VW_ACTION", "capped");
	entry_free(&e);
	assert_no_more();
}

static void test_degraded(void **state)
{
	struct entry e;

	NEED_ROOT();
	assert_int_equal(vw_alert_degraded("events-lost", "lan", "12 events lost"), 0);
	next_entry(&e);
	assert_header(&e, VW_MID_DEGRADED, LOG_WARNING);
	assert_field(&e, "MESSAGE", "Degraded: events-lost on segment lan: 12 events lost");
	assert_field(&e, "VW_DEGRADED", "events-lost");
	assert_field(&e, "VW_SEGMENT", "lan");
	entry_free(&e);
	assert_int_equal(vw_alert_degraded("stale-registry", NULL, "old"), 0);
	next_entry(&e);
	assert_field(&e, "MESSAGE", "Degraded: stale-registry: old");
	assert_int_equal(count(&e, "VW_SEGMENT"), 0);
	entry_free(&e);
	assert_no_more();
}

/* A newline in a MESSAGE is escaped (a terminal shows one line, nobody can
 * forge a second entry's look); in a structured field it travels intact in
 * the binary form of the protocol instead of ending the field. */
static void test_multiline_value(void **state)
{
	struct vw_entry v;
	struct entry e;

	NEED_ROOT();
	assert_int_equal(vw_alert_degraded("operator-state", NULL, "line one\nline=two"), 0);
	next_entry(&e);
	assert_field(&e, "MESSAGE", "Degraded: operator-state: line one\\x0Aline=two");
	entry_free(&e);
	vw_entry_init(&v, VW_MID_DEGRADED, LOG_WARNING);
	vw_entry_add(&v, "MESSAGE", "%s", "x");
	vw_entry_add(&v, "VW_DETAIL", "%s", "line one\nline=two");
	assert_int_equal(vw_entry_send(&v), 0);
	next_entry(&e);
	assert_field(&e, "VW_DETAIL", "line one\nline=two");
	entry_free(&e);
	assert_no_more();
}

/* What a device chose (an LLDP system name with a screen clear and a
 * right-to-left override) reaches the MESSAGE escaped, the VW_ field raw
 * but bounded. */
static void test_escaped_message(void **state)
{
	char big[VW_JOURNAL_MAX_VALUE + 100];
	struct vw_entry v;
	struct entry e;

	NEED_ROOT();
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	vw_entry_init(&v, VW_MID_DEGRADED, LOG_WARNING);
	vw_entry_add(&v, "MESSAGE", "name %s", "sw\x1b[2J\xe2\x80\xae" "cod.exe");
	vw_entry_add(&v, "VW_NAME", "%s", "sw\x1b[2J");
	vw_entry_add(&v, "VW_BIG", "%s", big);
	assert_int_equal(vw_entry_send(&v), 0);
	next_entry(&e);
	assert_field(&e, "MESSAGE", "name sw\\x1B[2J\\u202Ecod.exe");
	assert_field(&e, "VW_NAME", "sw\x1b[2J");
	assert_int_equal(strlen(field(&e, "VW_BIG")), VW_JOURNAL_MAX_VALUE);
	assert_string_equal(field(&e, "VW_BIG") + VW_JOURNAL_MAX_VALUE - 3, "...");
	entry_free(&e);
	assert_no_more();
}

static void test_names(void **state)
{
	assert_string_equal(vw_outcome_name(VW_VERDICT_PASS), "passed");
	assert_string_equal(vw_outcome_name(VW_VERDICT_CAPPED), "capped");
	assert_string_equal(vw_outcome_name(200), "unknown");
	assert_string_equal(vw_reason_name(VW_REASON_OUI), "oui");
	assert_string_equal(vw_reason_name(VW_REASON_DEVICE_CLEAR), "device_clear");
	assert_string_equal(vw_reason_name(VW_REASON_MAX), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detected),
		cmocka_unit_test(test_blocked),
		cmocka_unit_test(test_reminder),
		cmocka_unit_test(test_mode_changed),
		cmocka_unit_test(test_policy_loaded),
		cmocka_unit_test(test_reload_rejected),
		cmocka_unit_test(test_attach_failed),
		cmocka_unit_test(test_quarantine_cap),
		cmocka_unit_test(test_degraded),
		cmocka_unit_test(test_multiline_value),
		cmocka_unit_test(test_escaped_message),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, setup_journal, teardown_journal);
}

// SPDX-License-Identifier: GPL-2.0-only
/* Tests for daemon/lib/netlink.c against the real kernel, each in a fresh network namespace: dumps, hot-plug, renames, neighbours, bridge noise, overruns. */
#include "unit.h"
#include <poll.h>
#include <sched.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include "netlink.h"

#define WAIT_MS 10000   /* generous: the overrun tests dump through a tiny buffer */
#define MAX_VIEW 1024

struct ev {
	enum vw_nl_event type;
	struct vw_nl_link l;
	struct vw_nl_neigh n;
};

/* The consumer side: every event, plus a view of the links kept by mark-and-sweep as netlink.h prescribes. */
struct fx {
	struct vw_netlink *nl;
	struct ev *ev;
	size_t n_ev, cap;
	size_t since;                   /* expectations look at events from here on */
	int starts, dones;
	size_t events_before_first_start;
	struct {
		bool used, stale;
		int ifindex;
		char name[IF_NAMESIZE];
	} view[MAX_VIEW];
};

/* ---- consumer callbacks ------------------------------------------------- */

static void record(struct fx *f, enum vw_nl_event type, const struct vw_nl_link *l, const struct vw_nl_neigh *n)
{
	if (f->n_ev == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 256;
		f->ev = realloc(f->ev, f->cap * sizeof(*f->ev));
		assert_non_null(f->ev);
	}
	memset(&f->ev[f->n_ev], 0, sizeof(f->ev[0]));
	f->ev[f->n_ev].type = type;
	if (l)
		f->ev[f->n_ev].l = *l;
	if (n)
		f->ev[f->n_ev].n = *n;
	f->n_ev++;
}

static int view_find(struct fx *f, int ifindex)
{
	for (int i = 0; i < MAX_VIEW; i++)
		if (f->view[i].used && f->view[i].ifindex == ifindex)
			return i;
	return -1;
}

static void on_link(void *ctx, enum vw_nl_event type, const struct vw_nl_link *l)
{
	struct fx *f = ctx;
	int i = view_find(f, l->ifindex);

	record(f, type, l, NULL);
	assert_true(l->ifindex > 0);
	if (type == VW_NL_LINK_DEL) {
		if (i >= 0)
			f->view[i].used = false;
		return;
	}
	for (int j = 0; i < 0 && j < MAX_VIEW; j++)
		if (!f->view[j].used)
			i = j;
	assert_true(i >= 0);
	f->view[i].used = true;
	f->view[i].stale = false;
	f->view[i].ifindex = l->ifindex;
	memcpy(f->view[i].name, l->ifname, sizeof(l->ifname));
}

static void on_neigh(void *ctx, enum vw_nl_event type, const struct vw_nl_neigh *n)
{
	record(ctx, type, NULL, n);
}

static void on_dump(void *ctx, bool complete)
{
	struct fx *f = ctx;

	if (complete) {
		for (int i = 0; i < MAX_VIEW; i++)
			if (f->view[i].stale)
				f->view[i].used = f->view[i].stale = false;
		f->dones++;
		return;
	}
	if (!f->starts++)
		f->events_before_first_start = f->n_ev;
	for (int i = 0; i < MAX_VIEW; i++)
		f->view[i].stale = f->view[i].used;
}

static const struct vw_nl_ops ops = { .link = on_link, .neigh = on_neigh, .dump = on_dump };

/* ---- helpers ------------------------------------------------------------- */

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char *cmd = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	assert_true(vasprintf(&cmd, fmt, ap) > 0);
	va_end(ap);
	r = system(cmd);
	if (r != 0)
		print_error("command failed (%d): %s\n", r, cmd);
	free(cmd);
	assert_int_equal(r, 0);
}

/* One `ip -batch` run of fmt (with %d) for i in [from, to): hundreds of changes in a few ms. */
static void ip_batch(const char *fmt, int from, int to)
{
	char path[] = "/tmp/vw-nl-batch-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp;

	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	for (int i = from; i < to; i++) {
		fprintf(fp, fmt, i);
		fputc('\n', fp);
	}
	fclose(fp);
	sh("ip -batch %s", path);
	unlink(path);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Polls and dispatches until pred holds; false after WAIT_MS. */
static bool pump_until(struct fx *f, bool (*pred)(struct fx *, const void *), const void *arg)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = { .fd = vw_netlink_fd(f->nl), .events = POLLIN };
		long left;
		int r;

		if (pred(f, arg))
			return true;
		left = WAIT_MS - ms_since(&t0);
		if (left <= 0)
			return false;
		r = poll(&p, 1, (int)left);
		assert_true(r >= 0);
		/* POLLERR alone is an overrun: dispatch handles it too. */
		if (r > 0)
			assert_int_equal(vw_netlink_dispatch(f->nl), 0);
	}
}

struct want {
	enum vw_nl_event type;
	int ifindex;            /* 0: any */
	const char *name;       /* links; NULL: any */
	const char *addr;       /* neighbours, "192.0.2.5" or "2001:db8::5" */
};

static bool ev_matches(const struct ev *e, const struct want *w)
{
	if (e->type != w->type)
		return false;
	if (w->type == VW_NL_LINK_NEW || w->type == VW_NL_LINK_DEL)
		return (!w->ifindex || e->l.ifindex == w->ifindex) && (!w->name || !strcmp(e->l.ifname, w->name));
	if (w->ifindex && e->n.ifindex != w->ifindex)
		return false;
	if (w->addr) {
		int family = strchr(w->addr, ':') ? AF_INET6 : AF_INET;
		struct in6_addr a;

		assert_int_equal(inet_pton(family, w->addr, &a), 1);
		if (e->n.family != family ||
		    memcmp(&e->n.addr, &a, family == AF_INET ? sizeof(struct in_addr) : sizeof(a)))
			return false;
	}
	return true;
}

static int find(struct fx *f, size_t from, const struct want *w)
{
	for (size_t i = from; i < f->n_ev; i++)
		if (ev_matches(&f->ev[i], w))
			return (int)i;
	return -1;
}

static bool pred_want(struct fx *f, const void *arg)
{
	return find(f, f->since, arg) >= 0;
}

static void dump_events(struct fx *f)
{
	static const char *const names[] = { "LINK_NEW", "LINK_DEL", "NEIGH_NEW", "NEIGH_DEL" };
	char a[INET6_ADDRSTRLEN];

	for (size_t i = f->since; i < f->n_ev; i++) {
		const struct ev *e = &f->ev[i];

		if (e->type == VW_NL_LINK_NEW || e->type == VW_NL_LINK_DEL)
			print_error("  %s %d %s flags=%#x\n", names[e->type], e->l.ifindex, e->l.ifname, e->l.flags);
		else
			print_error("  %s %d %s state=%#x\n", names[e->type], e->n.ifindex,
				    inet_ntop(e->n.family, &e->n.addr, a, sizeof(a)), e->n.state);
	}
}

/* Waits for an event matching w after f->since and returns it. */
static const struct ev *expect(struct fx *f, struct want w)
{
	int i;

	if (!pump_until(f, pred_want, &w)) {
		print_error("no %d event for ifindex %d name %s addr %s; got:\n", w.type, w.ifindex,
			    w.name ? w.name : "-", w.addr ? w.addr : "-");
		dump_events(f);
		fail();
	}
	i = find(f, f->since, &w);
	return &f->ev[i];
}

static bool pred_dones(struct fx *f, const void *arg)
{
	return f->dones >= *(const int *)arg;
}

static void sync_initial(struct fx *f)
{
	int one = 1;

	assert_true(pump_until(f, pred_dones, &one));
	f->since = f->n_ev;
}

/*
 * Inserting a veth pair is a marker: notifications arrive in order, so
 * once it is seen, anything caused by earlier commands has been seen too.
 */
static void marker(struct fx *f, const char *name)
{
	sh("ip link add %s type veth peer name %s-p", name, name);
	expect(f, (struct want){ VW_NL_LINK_NEW, 0, name, NULL });
}

/* The view equals the kernel's interface list, name for name. */
static bool view_matches_kernel(struct fx *f)
{
	struct if_nameindex *ni = if_nameindex(), *p;
	int kernel = 0, view = 0;
	bool ok = true;

	assert_non_null(ni);
	for (p = ni; p->if_index; p++, kernel++) {
		int i = view_find(f, (int)p->if_index);

		if (i < 0 || strcmp(f->view[i].name, p->if_name))
			ok = false;
	}
	if_freenameindex(ni);
	for (int i = 0; i < MAX_VIEW; i++)
		view += f->view[i].used;
	return ok && view == kernel;
}

struct settled {
	int dones;
};

static bool pred_settled(struct fx *f, const void *arg)
{
	const struct settled *s = arg;

	return f->dones >= s->dones && view_matches_kernel(f);
}

/* ---- fixtures ------------------------------------------------------------ */

static int setup(void **state)
{
	struct fx *f;

	/* A namespace of our own: nothing on the host is touched, and it vanishes with its interfaces. */
	if (unshare(CLONE_NEWNET) < 0) {
		print_error("unshare(CLONE_NEWNET): %s (needs root)\n", strerror(errno));
		return -1;
	}
	if (system("ip link set lo up") != 0)
		return -1;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	vw_netlink_close(f->nl);
	free(f->ev);
	free(f);
	return 0;
}

static void open_nl(struct fx *f)
{
	assert_int_equal(vw_netlink_open(&f->nl, &ops, f), 0);
	assert_non_null(f->nl);
	assert_true(vw_netlink_fd(f->nl) >= 0);
}

/* ---- tests --------------------------------------------------------------- */

static void test_dump_reports_existing_state(void **state)
{
	struct fx *f = *state;
	const struct ev *e;
	const uint8_t mac[6] = { 0x00, 0xe0, 0xfc, 0x01, 0x02, 0x03 };
	int a, lo;

	sh("ip link add vw-a type veth peer name vw-b && ip link set vw-a up && ip link set vw-b up");
	sh("ip neigh add 192.0.2.5 lladdr 00:e0:fc:01:02:03 dev vw-a nud permanent");
	/* Enough interfaces that the link dump spans many datagrams. */
	ip_batch("link add vwbr%d type bridge", 0, 100);
	a = (int)if_nametoindex("vw-a");
	lo = (int)if_nametoindex("lo");
	assert_true(a > 0 && lo > 0);

	open_nl(f);
	assert_int_equal(f->n_ev, 0);           /* open never calls back */
	sync_initial(f);
	assert_int_equal(f->starts, 1);
	assert_int_equal(f->dones, 1);
	assert_int_equal(f->events_before_first_start, 0);

	f->since = 0;
	e = expect(f, (struct want){ VW_NL_LINK_NEW, lo, "lo", NULL });
	assert_true(e->l.flags & IFF_UP);
	assert_true(e->l.flags & IFF_LOOPBACK);
	e = expect(f, (struct want){ VW_NL_LINK_NEW, a, "vw-a", NULL });
	assert_true(e->l.flags & IFF_UP);
	assert_true(view_matches_kernel(f));    /* all 100 bridges, veths and lo, nothing else */
	e = expect(f, (struct want){ VW_NL_NEIGH_NEW, a, NULL, "192.0.2.5" });
	assert_memory_equal(e->n.mac, mac, 6);
	assert_int_equal(e->n.state, NUD_PERMANENT);
}

static void test_link_new_rename_del(void **state)
{
	struct fx *f = *state;
	const struct ev *e;
	int a, b, i;

	open_nl(f);
	sync_initial(f);

	sh("ip link add vw-a type veth peer name vw-b");
	a = (int)if_nametoindex("vw-a");
	b = (int)if_nametoindex("vw-b");
	assert_true(a > 0 && b > 0);
	e = expect(f, (struct want){ VW_NL_LINK_NEW, a, "vw-a", NULL });
	assert_false(e->l.flags & IFF_UP);
	expect(f, (struct want){ VW_NL_LINK_NEW, b, "vw-b", NULL });

	f->since = f->n_ev;
	sh("ip link set vw-b up");
	e = expect(f, (struct want){ VW_NL_LINK_NEW, b, "vw-b", NULL });
	while (!(e->l.flags & IFF_UP)) {        /* the first change may be another attribute */
		f->since = (size_t)(e - f->ev) + 1;
		e = expect(f, (struct want){ VW_NL_LINK_NEW, b, "vw-b", NULL });
	}

	f->since = f->n_ev;
	sh("ip link set vw-a name vw-renamed");     /* down: renaming needs that */
	expect(f, (struct want){ VW_NL_LINK_NEW, a, "vw-renamed", NULL });
	i = view_find(f, a);
	assert_true(i >= 0);
	assert_string_equal(f->view[i].name, "vw-renamed");
	assert_int_equal(find(f, f->since, &(struct want){ VW_NL_LINK_DEL, a, NULL, NULL }), -1);

	f->since = f->n_ev;
	sh("ip link del vw-renamed");
	e = expect(f, (struct want){ VW_NL_LINK_DEL, a, NULL, NULL });
	assert_string_equal(e->l.ifname, "vw-renamed");
	expect(f, (struct want){ VW_NL_LINK_DEL, b, "vw-b", NULL });    /* the peer goes with it */
	assert_int_equal(view_find(f, a), -1);
	assert_int_equal(view_find(f, b), -1);
	assert_true(view_matches_kernel(f));
}

static void test_neighbours_v4_v6(void **state)
{
	struct fx *f = *state;
	const struct ev *e;
	const uint8_t mac4[6] = { 0x00, 0xe0, 0xfc, 0x01, 0x02, 0x03 };
	const uint8_t mac6[6] = { 0x00, 0xe0, 0xfc, 0x01, 0x02, 0x04 };
	int a;

	sh("ip link add vw-a type veth peer name vw-b && ip link set vw-a up && ip link set vw-b up");
	a = (int)if_nametoindex("vw-a");
	open_nl(f);
	sync_initial(f);

	sh("ip neigh add 192.0.2.5 lladdr 00:e0:fc:01:02:03 dev vw-a nud permanent");
	e = expect(f, (struct want){ VW_NL_NEIGH_NEW, a, NULL, "192.0.2.5" });
	assert_int_equal(e->n.family, AF_INET);
	assert_memory_equal(e->n.mac, mac4, 6);
	assert_int_equal(e->n.state, NUD_PERMANENT);

	sh("ip neigh add 2001:db8::5 lladdr 00:e0:fc:01:02:04 dev vw-a nud permanent");
	e = expect(f, (struct want){ VW_NL_NEIGH_NEW, a, NULL, "2001:db8::5" });
	assert_int_equal(e->n.family, AF_INET6);
	assert_memory_equal(e->n.mac, mac6, 6);
	assert_int_equal(e->n.state, NUD_PERMANENT);

	/* A change of address is a NEW with the new MAC. */
	f->since = f->n_ev;
	sh("ip neigh change 192.0.2.5 lladdr 00:e0:fc:09:09:09 dev vw-a nud reachable");
	e = expect(f, (struct want){ VW_NL_NEIGH_NEW, a, NULL, "192.0.2.5" });
	assert_int_equal(e->n.mac[3], 0x09);
	assert_int_equal(e->n.state, NUD_REACHABLE);

	f->since = f->n_ev;
	sh("ip neigh del 192.0.2.5 dev vw-a");
	expect(f, (struct want){ VW_NL_NEIGH_DEL, a, NULL, "192.0.2.5" });
	sh("ip neigh del 2001:db8::5 dev vw-a");
	expect(f, (struct want){ VW_NL_NEIGH_DEL, a, NULL, "2001:db8::5" });
	assert_int_equal(find(f, f->since, &(struct want){ VW_NL_NEIGH_NEW, 0, NULL, NULL }), -1);

	/* An entry without a link-layer address is never NEW. */
	sh("ip neigh add 192.0.2.9 dev vw-a nud incomplete");
	marker(f, "vw-m");
	assert_int_equal(find(f, f->since, &(struct want){ VW_NL_NEIGH_NEW, 0, NULL, "192.0.2.9" }), -1);
}

static void test_bridge_messages_are_not_reported(void **state)
{
	struct fx *f = *state;
	const uint8_t fdb_mac[6] = { 0x00, 0xe0, 0xfc, 0xaa, 0xbb, 0xcc };
	int a;

	sh("ip link add vw-a type veth peer name vw-b && ip link add vwbr0 type bridge");
	sh("ip link set vwbr0 up && ip link set vw-a up");
	a = (int)if_nametoindex("vw-a");
	open_nl(f);
	sync_initial(f);

	/* Enslaving and releasing send AF_BRIDGE RTM_NEWLINK/RTM_DELLINK for the port; the FDB is AF_BRIDGE RTM_NEWNEIGH. */
	sh("ip link set vw-a master vwbr0");
	sh("bridge fdb add 00:e0:fc:aa:bb:cc dev vw-a master static");
	sh("ip link set vw-a nomaster");
	marker(f, "vw-m");
	assert_int_equal(find(f, f->since, &(struct want){ VW_NL_LINK_DEL, a, NULL, NULL }), -1);
	/* IPv6 on the new bridge may add multicast neighbours; the FDB entry must not appear. */
	for (size_t i = f->since; i < f->n_ev; i++)
		if (f->ev[i].type == VW_NL_NEIGH_NEW || f->ev[i].type == VW_NL_NEIGH_DEL)
			assert_memory_not_equal(f->ev[i].n.mac, fdb_mac, 6);
	assert_true(view_find(f, a) >= 0);
	assert_true(view_matches_kernel(f));
}

static void test_notifications_interleaved_with_dump(void **state)
{
	struct fx *f = *state;
	struct settled s = { .dones = 1 };

	ip_batch("link add vwbr%d type bridge", 0, 100);
	open_nl(f);
	/*
	 * The kernel queued the first dump datagram at the request and builds
	 * the next ones as we read: these notifications land between them.
	 */
	sh("ip link add vw-a type veth peer name vw-b");
	ip_batch("link del vwbr%d", 0, 50);
	assert_true(pump_until(f, pred_settled, &s));
	/* Deleting links under a link dump flags it NLM_F_DUMP_INTR: the cycle restarts, and completes once. */
	assert_int_equal(f->dones, 1);
	assert_true(f->starts >= 1);
	assert_true(view_find(f, (int)if_nametoindex("vw-a")) >= 0);
	assert_true(view_find(f, (int)if_nametoindex("vwbr75")) >= 0);
}

/* Shrinks the socket's buffer so a burst overruns it, as a flood would an 8 MiB one. */
static void starve(struct fx *f)
{
	int size = 4096;

	assert_int_equal(setsockopt(vw_netlink_fd(f->nl), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)), 0);
}

static void test_overrun_resyncs(void **state)
{
	struct fx *f = *state;
	struct settled s;

	open_nl(f);
	sync_initial(f);
	starve(f);

	/* Creations lost in the overrun come back through the re-dump. */
	ip_batch("link add vwbr%d type bridge", 0, 100);
	s.dones = 2;
	assert_true(pump_until(f, pred_settled, &s));
	assert_true(f->starts >= 2);
	assert_true(f->starts >= f->dones);

	/* Deletions lost in the overrun are swept: the re-dump no longer reports them. */
	s.dones = f->dones + 1;
	ip_batch("link del vwbr%d", 0, 100);
	assert_true(pump_until(f, pred_settled, &s));
	assert_true(f->starts >= f->dones);
}

static bool pred_neigh_news(struct fx *f, const void *arg)
{
	size_t n = 0;

	for (size_t i = f->since; i < f->n_ev; i++)
		n += f->ev[i].type == VW_NL_NEIGH_NEW && f->ev[i].n.family == AF_INET6 &&
		     f->ev[i].n.addr.v6.s6_addr[0] == 0x20;     /* 2001:db8::/32, not the multicast noise */
	return n >= *(const size_t *)arg;
}

static void test_dispatch_is_bounded(void **state)
{
	struct fx *f = *state;
	struct pollfd p;
	size_t want = 1000;

	sh("ip link add vw-a type veth peer name vw-b && ip link set vw-a up && ip link set vw-b up");
	open_nl(f);
	sync_initial(f);
	/* One notification datagram each: far more than one dispatch may read. */
	ip_batch("neigh add 2001:db8::%x lladdr 00:e0:fc:00:00:01 dev vw-a nud permanent", 1, (int)want + 1);
	assert_int_equal(vw_netlink_dispatch(f->nl), 0);
	assert_true(f->n_ev > f->since);
	assert_false(pred_neigh_news(f, &want));
	p = (struct pollfd){ .fd = vw_netlink_fd(f->nl), .events = POLLIN };
	assert_int_equal(poll(&p, 1, 0), 1);    /* the rest is still there and wakes the loop */
	assert_true(pump_until(f, pred_neigh_news, &want));
}

static void test_reopen(void **state)
{
	struct fx *f = *state;
	int a;

	open_nl(f);
	sync_initial(f);
	vw_netlink_close(f->nl);
	f->nl = NULL;
	memset(f->view, 0, sizeof(f->view));
	f->starts = f->dones = 0;

	open_nl(f);
	sync_initial(f);
	assert_int_equal(f->starts, 1);
	assert_true(view_matches_kernel(f));
	sh("ip link add vw-a type veth peer name vw-b");
	a = (int)if_nametoindex("vw-a");
	expect(f, (struct want){ VW_NL_LINK_NEW, a, "vw-a", NULL });
}

static void test_dispatch_with_nothing_available(void **state)
{
	struct fx *f = *state;
	struct pollfd p;
	struct timespec t0;

	open_nl(f);
	sync_initial(f);
	/* let stray events of the fresh namespace (IPv6 on lo) arrive and be read */
	marker(f, "vw-m");
	while (vw_netlink_dispatch(f->nl) == 0 && f->n_ev != f->since)
		f->since = f->n_ev;

	p = (struct pollfd){ .fd = vw_netlink_fd(f->nl), .events = POLLIN };
	assert_int_equal(poll(&p, 1, 0), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(vw_netlink_dispatch(f->nl), 0);
	assert_true(ms_since(&t0) < 200);       /* non-blocking: 100 empty calls, no waits */
	assert_int_equal(f->n_ev, f->since);
	assert_int_equal(f->starts, 1);
}

static void test_bad_arguments(void **state)
{
	struct vw_netlink *nl = (void *)1;

	assert_int_equal(vw_netlink_open(NULL, &ops, NULL), -EINVAL);
	assert_int_equal(vw_netlink_open(&nl, NULL, NULL), -EINVAL);
	assert_null(nl);
	assert_int_equal(vw_netlink_dispatch(NULL), -EINVAL);
	assert_int_equal(vw_netlink_fd(NULL), -EINVAL);
	vw_netlink_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dump_reports_existing_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_new_rename_del, setup, teardown),
		cmocka_unit_test_setup_teardown(test_neighbours_v4_v6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bridge_messages_are_not_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notifications_interleaved_with_dump, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overrun_resyncs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_is_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_with_nothing_available, setup, teardown),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

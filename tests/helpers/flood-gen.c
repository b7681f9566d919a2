// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test helper: a flood of frames from spoofed restricted MACs, generated in
 * the kernel (this kernel has no pktgen). Loads vw_flood.bpf.o and runs it
 * with BPF_PROG_TEST_RUN, BPF_F_TEST_XDP_LIVE_FRAMES and a large repeat
 * count, again and again for SECONDS: each frame gets a new source MAC and
 * is transmitted (XDP_TX) out of IFNAME, i.e. to its veth peer.
 *
 *   flood-gen OBJ IFNAME SECONDS DISTINCT MGMT_EVERY
 *
 * Prints "sent N mgmt M distinct D seconds S" when done.
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

struct vw_flood_state {
	__u64 sent, distinct, mgmt_every, mgmt;
	__u32 ouis[8];
};

/* Huawei (3), ZTE (2), Hikvision (2), Dahua: restricted under us-ndaa-889
 * in the IEEE registry of Debian 12's ieee-data. */
static const __u32 restricted_ouis[8] = {
	0x00e0fc, 0x4c1fcc, 0x001882, 0x98f428, 0x0015eb, 0xc056e3, 0x4cbd8f, 0x3cef8c,
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* An LLDP frame from a placeholder source: the program rewrites the
 * source MAC and, for most frames, the EtherType. */
static const unsigned char tmpl[] = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e, 0x02, 0, 0, 0, 0, 0, 0x88, 0xcc,
	0x02, 0x07, 0x04, 0x02, 0, 0, 0, 0, 0,              /* chassis id: MAC */
	0x04, 0x02, 0x07, '1',                              /* port id: local "1" */
	0x06, 0x02, 0x00, 0x78,                             /* TTL 120 */
	0x0a, 0x05, 'f', 'l', 'o', 'o', 'd',                /* system name */
	0x00, 0x00,                                         /* end */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static int run(int prog_fd, int ifindex, double seconds)
{
	/* The kernel wants data_end to be the frame's size. */
	struct xdp_md ctx = { .ingress_ifindex = (__u32)ifindex, .data_end = sizeof(tmpl) };
	unsigned char frame[sizeof(tmpl)];
	double end = now_s() + seconds;

	memcpy(frame, tmpl, sizeof(frame));
	while (!stop && now_s() < end) {
		LIBBPF_OPTS(bpf_test_run_opts, opts,
			.data_in = frame,
			.data_size_in = sizeof(frame),
			.ctx_in = &ctx,
			.ctx_size_in = sizeof(ctx),
			.repeat = 1u << 16,
			.batch_size = 64,
			.flags = BPF_F_TEST_XDP_LIVE_FRAMES,
		);

		if (bpf_prog_test_run_opts(prog_fd, &opts) < 0)
			return -errno;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct vw_flood_state st = {0};
	struct bpf_object *obj;
	struct bpf_program *prog;
	int ifindex, err, map_fd;
	double t0, seconds;
	__u32 zero = 0;

	if (argc != 6) {
		fprintf(stderr, "usage: flood-gen OBJ IFNAME SECONDS DISTINCT MGMT_EVERY\n");
		return 2;
	}
	ifindex = (int)if_nametoindex(argv[2]);
	seconds = atof(argv[3]);
	st.distinct = strtoull(argv[4], NULL, 10);
	st.mgmt_every = strtoull(argv[5], NULL, 10);
	memcpy(st.ouis, restricted_ouis, sizeof(st.ouis));
	if (!ifindex || seconds <= 0 || !st.distinct) {
		fprintf(stderr, "flood-gen: bad interface %s, seconds or distinct count\n", argv[2]);
		return 2;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "flood-gen: cannot open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	prog = bpf_object__find_program_by_name(obj, "vw_flood");
	err = prog ? bpf_object__load(obj) : -ENOENT;
	map_fd = err ? -1 : bpf_object__find_map_fd_by_name(obj, "vw_flood_state");
	if (!err && (map_fd < 0 || bpf_map_update_elem(map_fd, &zero, &st, BPF_ANY) < 0))
		err = -errno;
	t0 = now_s();
	if (!err)
		err = run(bpf_program__fd(prog), ifindex, seconds);
	if (map_fd >= 0 && bpf_map_lookup_elem(map_fd, &zero, &st) == 0)
		printf("sent %llu mgmt %llu distinct %llu seconds %.1f\n",
		       (unsigned long long)st.sent, (unsigned long long)st.mgmt,
		       (unsigned long long)(st.sent < st.distinct ? st.sent : st.distinct),
		       now_s() - t0);
	bpf_object__close(obj);
	if (err) {
		fprintf(stderr, "flood-gen: %s\n", strerror(-err));
		return 1;
	}
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-only */
/* Fingerprint bench: engine throughput on one core over a generated mix of management frames, parsing and rule matching timed apart, then `classify` against tshark extracting the same fields from the same generated capture (CPU time of each child, and wall time). */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "classify.h"
#include "engine.h"
#include "frame.h"
#include "ouiset.h"
#include "policy.h"
#include "registry.h"
#include "rules.h"
#include "../tests/unit/fp_frames.h"

#define N_DEVICES 1024

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_s(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* In-process loops are timed in this thread's CPU time: on a shared
 * machine wall time would count the neighbours' work as ours. */
static double cpu_s(void)
{
	return clock_s(CLOCK_THREAD_CPUTIME_ID);
}

/* The mix: what a LAN sensor's management sample ring carries. Each kind
 * is built once per device MAC; the bench cycles through them. */
struct mix {
	struct ff *f;
	size_t n;
};

static void mac_for(uint8_t m[6], unsigned dev, uint8_t oui0, uint8_t oui1, uint8_t oui2)
{
	m[0] = oui0; m[1] = oui1; m[2] = oui2;
	m[3] = 0x10; m[4] = (uint8_t)(dev >> 8); m[5] = (uint8_t)dev;
}

static int build_mix(struct mix *mx)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x7f, 0xff, 0xfa };
	static const uint8_t gw[4] = { 10, 0, 0, 1 }, ssdp_ip[4] = { 239, 255, 255, 250 };
	static const char *const kinds = "LlhdDsSbBwWyu";   /* one letter per frame kind */
	static const char sadp[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?><ProbeMatch><Uuid>1</Uuid><Types>inquiry</Types>"
		"<DeviceType>138</DeviceType><DeviceDescription>DS-2CD2143G0-I</DeviceDescription>"
		"<DeviceSN>DS-2CD2143G0-I20190101AAWRD12345678</DeviceSN><MAC>44-19-b6-01-02-03</MAC>"
		"<SoftwareVersion>V5.5.0build 170725</SoftwareVersion></ProbeMatch>";
	static const char ssdp[] = "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=1800\r\n"
		"LOCATION: http://10.0.0.5:49152/desc.xml\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n"
		"SERVER: Linux/3.10 UPnP/1.0 miniupnpd/2.1\r\nUSN: uuid:1234::upnp:rootdevice\r\n\r\n";
	static const char wsd[] = "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
		"xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\"><s:Body><d:Hello><d:Types>dn:NetworkVideoTransmitter</d:Types>"
		"<d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/name/Dahua onvif://www.onvif.org/hardware/IPC-HFW2431S</d:Scopes>"
		"<d:XAddrs>http://10.0.0.6/onvif/device_service</d:XAddrs></d:Hello></s:Body></s:Envelope>";
	static const char http[] = "HTTP/1.1 401 Unauthorized\r\nServer: App-webs/\r\nWWW-Authenticate: Digest realm=\"IP Camera\", nonce=\"x\"\r\nContent-Length: 0\r\n\r\n";
	static const char http2[] = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\n\r\n<html>hello</html>";
	uint8_t hb[20] = { 0x5A, 0x5A, 0x5A, 0x5A, 0x0A, 0, 0, 0, 0x14, 0, 0, 0, 7, 0x5A, 0x59, 0x5A, 0, 0, 0, 0 };
	size_t nk = strlen(kinds);

	mx->n = (size_t)N_DEVICES * 4;
	mx->f = calloc(mx->n, sizeof(*mx->f));
	if (!mx->f)
		return -ENOMEM;
	for (size_t i = 0; i < mx->n; i++) {
		unsigned dev = (unsigned)(i % N_DEVICES);
		struct ff *f = &mx->f[i];
		uint8_t m[6], ip[4] = { 10, 0, (uint8_t)(dev >> 8), (uint8_t)dev }, dhcp[400];
		size_t n;

		switch (kinds[i % nk]) {
		case 'L':
			mac_for(m, dev, 0x02, 0x00, 0x00);
			ff_lldp(f, m, m, "HUAWEI", "Huawei Versatile Routing Platform Software\r\nVRP (R) software, "
				"Version 8.180 (CE6870EI V200R005C10SPC800)\r\nCopyright (C) 2012-2018 Huawei Technologies Co., Ltd.");
			break;
		case 'l':
			mac_for(m, dev, 0x00, 0xe0, 0xfc);
			ff_lldp(f, m, m, "H3C", "H3C Comware Platform Software, Software Version 7.1.070, Release 6616\r\n"
				"Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.");
			break;
		case 'h':
			mac_for(m, dev, 0x00, 0x1b, 0x21);
			ff_lldp(f, m, m, "edge-17", "Linux 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 x86_64");
			break;
		case 'd':
			mac_for(m, dev, 0x02, 0x00, 0x01);
			n = ff_dhcp_payload(dhcp, sizeof(dhcp), m, "HUAWEI:android:ELE", "HUAWEI_P30-9e8b07efe8a355");
			ff_ipv4(f, bcast, m, (const uint8_t[4]){ 0 }, (const uint8_t[4]){ 255, 255, 255, 255 }, 17, 68, 67, dhcp, n);
			break;
		case 'D':
			mac_for(m, dev, 0x00, 0x1b, 0x22);
			n = ff_dhcp_payload(dhcp, sizeof(dhcp), m, "MSFT 5.0", "DESKTOP-4KQ2");
			ff_ipv4(f, bcast, m, (const uint8_t[4]){ 0 }, (const uint8_t[4]){ 255, 255, 255, 255 }, 17, 68, 67, dhcp, n);
			break;
		case 's':
			mac_for(m, dev, 0x44, 0x19, 0xb6);
			ff_ipv4(f, mcast, m, ip, ssdp_ip, 17, 37020, 37020, sadp, sizeof(sadp) - 1);
			break;
		case 'S':
			mac_for(m, dev, 0x00, 0x1b, 0x23);
			ff_ipv4(f, mcast, m, ip, ssdp_ip, 17, 1900, 1900, ssdp, sizeof(ssdp) - 1);
			break;
		case 'b':
			mac_for(m, dev, 0x02, 0x00, 0x02);
			ff_ipv4(f, bcast, m, ip, gw, 6, 22, 50000, "SSH-2.0-HUAWEI-1.5\r\n", 20);
			break;
		case 'B':
			mac_for(m, dev, 0x02, 0x00, 0x03);
			ff_ipv4(f, bcast, m, ip, gw, 6, 80, 50001, (dev & 1) ? http : http2,
				(dev & 1) ? sizeof(http) - 1 : sizeof(http2) - 1);
			break;
		case 'w':
			mac_for(m, dev, 0x02, 0x00, 0x04);
			ff_ipv4(f, mcast, m, ip, ssdp_ip, 17, 3702, 3702, wsd, sizeof(wsd) - 1);
			break;
		case 'W':
			mac_for(m, dev, 0x00, 0x1b, 0x24);
			ff_ipv4(f, bcast, m, ip, gw, 6, 50002, 443, "\x16\x03\x01\x00\x05hello", 10);
			break;
		case 'y':
			mac_for(m, dev, 0x02, 0x00, 0x05);
			ff_ipv4(f, bcast, m, ip, gw, 17, 50000, 50000, hb, sizeof(hb));
			break;
		default:
			mac_for(m, dev, 0x00, 0x1b, 0x25);
			ff_ipv4(f, bcast, m, ip, gw, 17, 5353, 5353, "\0\0\0\0\0\1\0\0\0\0\0\0", 12);
			break;
		}
	}
	return 0;
}

struct ctx {
	struct vw_policy pol;
	struct vw_registry reg;
	struct vw_ouiset set;
	struct vw_fp_rules *rules;
};

static int load(struct ctx *c, const char *policy, const char *registry)
{
	struct vw_diag d = { 0 };
	const char **profiles;
	char *rdir = NULL;
	int rc;

	rc = vw_policy_load(&c->pol, policy, &d);
	if (!rc)
		rc = vw_registry_load(&c->reg, registry, &d);
	if (!rc) {
		profiles = calloc(c->pol.n_profiles + 1, sizeof(*profiles));
		for (size_t i = 0; profiles && i < c->pol.n_profiles; i++)
			profiles[i] = c->pol.profiles[i].id;
		rc = profiles ? vw_ouiset_build(&c->set, &c->reg, &c->pol, profiles, c->pol.n_profiles, &d) : -ENOMEM;
		free(profiles);
	}
	if (!rc && asprintf(&rdir, "%s/fingerprints", policy) > 0)
		rc = vw_fp_rules_load(&c->rules, rdir, &c->pol, &d);
	for (size_t i = 0; rc && i < d.n; i++)
		fprintf(stderr, "Error: %s\n", d.msgs[i]);
	vw_diag_free(&d);
	free(rdir);
	return rc;
}

static int write_pcap(const char *path, const struct mix *mx, size_t frames)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = p ? pcap_dump_open(p, path) : NULL;

	if (!d) {
		fprintf(stderr, "Error: %s: %s\n", path, p ? pcap_geterr(p) : "pcap_open_dead failed");
		if (p)
			pcap_close(p);
		return -EIO;
	}
	for (size_t i = 0; i < frames; i++) {
		const struct ff *f = &mx->f[i % mx->n];
		struct pcap_pkthdr h = { .ts = { .tv_sec = 1700000000 + (time_t)(i / 10000), .tv_usec = (suseconds_t)(i % 10000) * 100 },
					 .caplen = (bpf_u_int32)f->n, .len = (bpf_u_int32)f->n };

		pcap_dump((u_char *)d, &h, f->b);
	}
	pcap_dump_close(d);
	pcap_close(p);
	return 0;
}

/* ---- parsing and matching apart ---- */

struct match_ctx {
	const struct vw_fp_rules *rules;   /* NULL: parse only */
	size_t sink;
};

static int match_cb(void *ctx, const struct vw_fp_frame *f, const struct vw_fp_result *r)
{
	struct match_ctx *c = ctx;
	struct vw_fp_match m[32];

	(void)f;
	if (c->rules)
		c->sink += vw_fp_rules_match(c->rules, r, m, 32);
	return 0;
}

/* CPU ns per frame of the mix for headers + protocol parsers, with or
 * without matching every result against the rules: one pass of `rounds`
 * times the mix. */
static double dissect_ns(const struct mix *mx, const struct vw_fp_rules *rules, size_t rounds)
{
	struct match_ctx c = { .rules = rules };
	double t = cpu_s();

	for (size_t k = 0; k < rounds; k++) {
		for (size_t i = 0; i < mx->n; i++) {
			struct vw_fp_frame f;

			vw_fp_frame_parse(mx->f[i].b, mx->f[i].n, &f);
			vw_fp_dissect(&f, match_cb, &c);
		}
	}
	return (cpu_s() - t) * 1e9 / (double)(rounds * mx->n);
}

/* Matching is timed where it runs, on the result the parser just wrote
 * (still in cache): the difference of the two loops. They alternate in
 * short passes and the best of each is kept, so a neighbour's burst on
 * a shared machine inflates one pass, not the comparison. */
static void parse_vs_match(const struct mix *mx, const struct vw_fp_rules *rules,
			   double *parse_ns, double *match_ns)
{
	double both = 1e30;

	*parse_ns = 1e30;
	for (int rep = 0; rep < 25; rep++) {
		double p = dissect_ns(mx, NULL, 10), b = dissect_ns(mx, rules, 10);

		if (p < *parse_ns)
			*parse_ns = p;
		if (b < both)
			both = b;
	}
	*match_ns = both > *parse_ns ? both - *parse_ns : 0;
}

static void cpu_name(char *buf, size_t n)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];

	snprintf(buf, n, "unknown");
	while (f && fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && c) {
			snprintf(buf, n, "%s", c + 2);
			buf[strcspn(buf, "\n")] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
}

/* Runs argv (or classify in-process when argv[0] is NULL) with stdout to
 * /dev/null; returns wall seconds and *cpu (user + system of the child:
 * what the work cost, whatever else the machine was doing), or -1. */
static double timed(char **argv, int classify_argc, char **classify_argv, double *cpu)
{
	double t0 = now_s();
	struct rusage ru;
	int st;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		if (!argv[0]) {
			st = vw_ctl_classify_main(classify_argc, classify_argv);
			fflush(NULL);
			_exit(st);
		}
		dup2(fd, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	if (cpu)
		*cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	return now_s() - t0;
}

static bool have_tshark(void)
{
	char *argv[] = { "tshark", "-v", NULL };

	return timed(argv, 0, NULL, NULL) >= 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "frames", required_argument, NULL, 'f' },
		{ "pcap-frames", required_argument, NULL, 'p' },
		{ "policy-dir", required_argument, NULL, 'd' },
		{ "registry-dir", required_argument, NULL, 'r' },
		{ "no-tshark", no_argument, NULL, 'n' },
		{ "keep-pcap", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	bool tshark = true;
	const char *keep = NULL;
	size_t frames = 4000000, pcap_frames = 1000000;
	const char *policy = "policy", *registry = "/usr/share/ieee-data";
	struct ctx c = { 0 };
	struct mix mx = { 0 };
	struct vw_fp_engine *e = NULL;
	struct vw_fp_engine_conf ec;
	struct vw_fp_engine_stats st;
	char path[] = "/tmp/vw-fp-bench-XXXXXX.pcap";
	double t, rate, tc = -1, tt = -1, cc = -1, ct = -1, parse_ns, match_ns;
	char cpu[128];
	int o, fd;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'f': frames = strtoull(optarg, NULL, 10); break;
		case 'p': pcap_frames = strtoull(optarg, NULL, 10); break;
		case 'd': policy = optarg; break;
		case 'r': registry = optarg; break;
		case 'n': tshark = false; break;
		case 'k': keep = optarg; break;
		default:
			fprintf(stderr, "usage: %s [--frames N] [--pcap-frames N (0: no classify)] [--no-tshark] [--keep-pcap FILE]\n"
				"       [--policy-dir DIR] [--registry-dir DIR]\n", argv[0]);
			return 2;
		}
	}
	if (load(&c, policy, registry) < 0 || build_mix(&mx) < 0)
		return 1;

	/* 1. Engine alone: parse, dissect, match, decide, one core. */
	vw_fp_engine_conf_default(&ec);
	if (vw_fp_engine_new(&e, &ec, c.rules, &c.set, &c.pol) < 0)
		return 1;
	for (size_t i = 0; i < mx.n; i++)        /* warm-up: devices exist */
		vw_fp_engine_frame(e, mx.f[i].b, mx.f[i].n, i, NULL, NULL);
	t = cpu_s();
	for (size_t i = 0; i < frames; i++) {
		const struct ff *f = &mx.f[i % mx.n];

		vw_fp_engine_frame(e, f->b, f->n, i, NULL, NULL);
	}
	t = cpu_s() - t;
	rate = (double)frames / t;
	vw_fp_engine_stats(e, &st);
	printf("engine: %zu frames (%zu kinds x %d devices) in %.3f s of CPU = %.0f frames/s on one core "
	       "(%.0f ns/frame; %" PRIu64 " parser results, %" PRIu64 " rule matches, %zu devices)\n",
	       frames, (size_t)13, N_DEVICES, t, rate, t * 1e9 / (double)frames, st.results, st.matches, st.devices);
	vw_fp_engine_free(e);
	parse_vs_match(&mx, c.rules, &parse_ns, &match_ns);
	printf("per frame of the mix: parse %.0f ns (headers + protocol parsers), match %.0f ns "
	       "(every result against the rules) = %.2f of parse\n", parse_ns, match_ns, match_ns / parse_ns);

	/* 2. classify vs tshark on the same generated capture. */
	if (!pcap_frames)
		goto done;
	fd = mkstemps(path, 5);
	if (fd < 0) {
		perror("mkstemps");
		return 1;
	}
	close(fd);
	if (write_pcap(path, &mx, pcap_frames) < 0)
		return 1;
	{
		char *cargv[] = { "classify", "--all", "--json", "--policy-dir", (char *)policy,
				  "--registry-dir", (char *)registry, path, NULL };
		char *none[] = { NULL };

		tc = timed(none, 8, cargv, &cc);
	}
	printf("classify: %zu frames in %.3f s wall, %.3f s CPU (%.0f frames/s of CPU)\n", pcap_frames, tc, cc,
	       (double)pcap_frames / cc);
	if (tshark && have_tshark()) {
		char *targv[] = { "tshark", "-n", "-r", path, "-T", "fields",
				  "-e", "eth.src", "-e", "lldp.chassis.id.mac", "-e", "lldp.tlv.system.name",
				  "-e", "lldp.tlv.system.desc", "-e", "dhcp.option.vendor_class_id",
				  "-e", "dhcp.option.hostname", "-e", "dhcp.hw.mac_addr", "-e", "ssh.protocol",
				  "-e", "http.server", "-e", "http.www_authenticate",
				  "-e", "ip.src", "-e", "ipv6.src", NULL };

		tt = timed(targv, 0, NULL, &ct);
		printf("tshark: %zu frames in %.3f s wall, %.3f s CPU (%.0f frames/s of CPU) extracting the same fields (-T fields)\n",
		       pcap_frames, tt, ct, (double)pcap_frames / ct);
	} else if (tshark) {
		printf("tshark: not installed (apt-get install -y tshark); no comparison\n");
	}
	/* Kept for profiling classify alone (perf record ... classify FILE). */
	if (keep && rename(path, keep) < 0)
		perror(keep);
	unlink(path);
done:
	cpu_name(cpu, sizeof(cpu));
	/* The ratio is of CPU time: on a shared machine wall time measures
	 * the neighbours as much as the program. Wall is printed beside it. */
	if (tt > 0 && tc > 0)
		printf("bench-fp: engine=%.0f frames/s classify/tshark=%.1f (CPU time; wall %.1f) "
		       "parse=%.0fns match=%.0fns per frame cpu=\"%s\"\n",
		       rate, ct / cc, tt / tc, parse_ns, match_ns, cpu);
	else
		printf("bench-fp: engine=%.0f frames/s classify/tshark=n/a parse=%.0fns match=%.0fns per frame cpu=\"%s\"\n",
		       rate, parse_ns, match_ns, cpu);
	vw_fp_rules_free(c.rules);
	vw_ouiset_free(&c.set);
	vw_registry_free(&c.reg);
	vw_policy_free(&c.pol);
	free(mx.f);
	return 0;
}

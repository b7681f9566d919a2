/* SPDX-License-Identifier: GPL-2.0-only */
/* Offline classification of capture files: loads policy, registry and rules like the daemon, feeds every frame to the same fingerprint engine, and prints the devices as a table or JSON. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <sys/stat.h>

#include "confidence.h"
#include "config.h"
#include "classify.h"
#include "diag.h"
#include "engine.h"
#include "ouiset.h"
#include "paths.h"
#include "policy.h"
#include "registry.h"
#include "rules.h"

#define DEFAULT_REGISTRY_DIR "/usr/share/ieee-data"
/* Offline there is no reason to forget devices: a capture of a large
 * segment should list every device it saw. A frame names at most two
 * devices (its source and one subject) and takes at least 30 bytes of a
 * file (record header and Ethernet header), so the table is sized from
 * the files' sizes up to this bound, and small captures cost little. */
#define CLASSIFY_MAX_DEVICES (1u << 18)
#define CLASSIFY_MIN_DEVICES 64u

struct opts {
	const char **profiles; size_t n_profiles;
	bool all, json, per_file;
	const char *policy_dir, *registry_dir;
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: vendorwallctl classify [--profile NAME]... [--all] [--json] [--per-file]\n"
		   "                              [--policy-dir DIR] [--registry-dir DIR] FILE.pcap...\n"
		   "Classifies the devices seen in capture files (pcap or pcapng; Ethernet, Linux cooked\n"
		   "SLL or SLL2) with the daemon's OUI and fingerprint logic. Lists restricted devices,\n"
		   "all with --all; devices seen behind a router are listed by IP, with the router's MAC.\n"
		   "--per-file classifies each file on its own (a JSON document per line with --json).\n");
}

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The policy of the checkout this binary was built in, else the installed
 * one; a copied binary that finds neither tries ./policy. */
static const char *default_policy_dir(void)
{
	static char dir[PATH_MAX];

	if (vw_policy_dir_default(dir, sizeof(dir)) == 0 &&
	    (is_dir(dir) || !is_dir("policy")))
		return dir;
	return "policy";
}

static void print_diag(const struct vw_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "Error: %s\n", d->msgs[i]);
}

/* ---- collecting and printing ---- */

struct dev_copy {
	uint8_t mac[6];
	bool by_ip, has_mac, has_via;
	char ip[INET6_ADDRSTRLEN];   /* by_ip: "" while not known */
	uint8_t via[6];
	enum vw_fp_state state;
	const struct vw_fp_ident *ident;
	double confidence;
	struct vw_fp_evidence *ev; size_t n_ev;
	char (*v4)[INET_ADDRSTRLEN]; size_t n4;
	char (*v6)[INET6_ADDRSTRLEN]; size_t n6;
};

struct collect {
	struct dev_copy *v; size_t n, cap;
	bool all;
	int err;
};

static void collect_cb(void *ctx, const struct vw_fp_report *r)
{
	struct collect *c = ctx;
	struct dev_copy *d;

	if (c->err || (!c->all && r->state != VW_FP_STATE_RESTRICTED))
		return;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct dev_copy *t = realloc(c->v, cap * sizeof(*t));

		if (!t) {
			c->err = -ENOMEM;
			return;
		}
		c->v = t;
		c->cap = cap;
	}
	d = &c->v[c->n];
	*d = (struct dev_copy){ .state = r->state, .ident = r->ident, .confidence = r->confidence };
	memcpy(d->mac, r->mac, 6);
	d->by_ip = r->by_ip;
	d->has_mac = r->has_mac;
	d->has_via = r->has_via;
	memcpy(d->via, r->via_mac, 6);
	if (r->by_ip && r->family)
		inet_ntop(r->family, r->ip, d->ip, sizeof(d->ip));
	d->ev = calloc(r->n_evidence + 1, sizeof(*d->ev));
	d->v4 = calloc(r->n_ipv4 + 1, sizeof(*d->v4));
	d->v6 = calloc(r->n_ipv6 + 1, sizeof(*d->v6));
	c->n++;
	if (!d->ev || !d->v4 || !d->v6) {
		c->err = -ENOMEM;
		return;
	}
	if (r->n_evidence)	/* evidence may be NULL then */
		memcpy(d->ev, r->evidence, r->n_evidence * sizeof(*d->ev));
	d->n_ev = r->n_evidence;
	for (size_t i = 0; i < r->n_ipv4; i++)
		inet_ntop(AF_INET, r->ipv4[i], d->v4[d->n4++], INET_ADDRSTRLEN);
	for (size_t i = 0; i < r->n_ipv6; i++)
		inet_ntop(AF_INET6, r->ipv6[i], d->v6[d->n6++], INET6_ADDRSTRLEN);
}

/* Devices by MAC first, then those by IP. */
static int cmp_dev(const void *a, const void *b)
{
	const struct dev_copy *x = a, *y = b;

	if (x->by_ip != y->by_ip)
		return x->by_ip - y->by_ip;
	if (x->by_ip && strcmp(x->ip, y->ip))
		return strcmp(x->ip, y->ip);
	return memcmp(x->mac, y->mac, 6);
}

/* Evidence for the chosen identity first, strongest first. */
static int cmp_ev_for(const struct vw_fp_evidence *a, const struct vw_fp_evidence *b,
		      const struct vw_fp_ident *id)
{
	int ma = a->ident == id, mb = b->ident == id;

	if (ma != mb)
		return mb - ma;
	if (a->confidence != b->confidence)
		return a->confidence < b->confidence ? 1 : -1;
	return a->first_us < b->first_us ? -1 : a->first_us > b->first_us;
}

static void sort_evidence(struct dev_copy *d)
{
	/* Insertion sort: at most max_evidence items. */
	for (size_t i = 1; i < d->n_ev; i++) {
		struct vw_fp_evidence x = d->ev[i];
		size_t j = i;

		while (j > 0 && cmp_ev_for(&x, &d->ev[j - 1], d->ident) < 0) {
			d->ev[j] = d->ev[j - 1];
			j--;
		}
		d->ev[j] = x;
	}
}

/* What the "vendor" column says: the restricted vendor, the look-alike
 * class, or nothing (a policy vendor below the threshold is a suspicion,
 * not a verdict, and shows only in the evidence). */
static const char *vendor_of(const struct dev_copy *d)
{
	if (!d->ident)
		return NULL;
	if (d->state == VW_FP_STATE_RESTRICTED || d->ident->is_class)
		return d->ident->id;
	return NULL;
}

static void fmt_conf(double c, char *buf, size_t n)
{
	char s[VW_CONF_STRLEN];

	snprintf(buf, n, "%s", vw_conf_format(c, s));
}

/*
 * JSON written directly: json-c built a hash table per device and per
 * evidence item only to print them once, a tenth of classify's CPU. The
 * text is byte for byte what json_object_to_json_string_ext(PLAIN |
 * NOSLASHESCAPE) printed (test_json_canonical re-serialises it with
 * json-c): '"', '\\', \b \f \n \r \t escaped by name, other bytes below
 * 0x20 as \u00xx in lowercase hex, all others (UTF-8, 0x7F) as they are.
 */
static void json_str(FILE *f, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	if (!s) {
		fputs_unlocked("null", f);
		return;
	}
	putc_unlocked('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char u[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF], '\0' };
		const char *esc = u;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		fwrite_unlocked(run, 1, (size_t)(s - run), f);
		run = s + 1;
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		}
		fputs_unlocked(esc, f);
	}
	fwrite_unlocked(run, 1, (size_t)(s - run), f);
	putc_unlocked('"', f);
}

static void json_evidence(FILE *f, const struct vw_fp_evidence *e)
{
	char conf[VW_CONF_STRLEN];

	fputs_unlocked("{\"signal\":", f);
	json_str(f, vw_fp_evidence_signal(e));
	fputs_unlocked(",\"field\":", f);
	json_str(f, e->field);
	fputs_unlocked(",\"value\":", f);
	json_str(f, e->value);
	fputs_unlocked(",\"vendor\":", f);
	json_str(f, e->ident->id);
	fputs_unlocked(",\"rule\":", f);
	json_str(f, e->rule ? e->rule->id : NULL);
	fprintf(f, ",\"confidence\":%s}", vw_conf_format(e->confidence, conf));
}

static void json_dev(FILE *f, const struct dev_copy *d)
{
	char mac[VW_MAC_STRLEN], conf[VW_CONF_STRLEN];

	vw_format_mac(d->mac, mac);
	if (d->by_ip) {
		fputs_unlocked("{\"ip\":", f);
		json_str(f, *d->ip ? d->ip : NULL);
		fputs_unlocked(",\"mac\":", f);
		json_str(f, d->has_mac ? mac : NULL);
		vw_format_mac(d->via, mac);
		fputs_unlocked(",\"via\":", f);
		json_str(f, d->has_via ? mac : NULL);
	} else {
		fputs_unlocked("{\"mac\":", f);
		json_str(f, mac);
	}
	fputs_unlocked(",\"vendor\":", f);
	json_str(f, vendor_of(d));
	fputs_unlocked(",\"state\":", f);
	json_str(f, vw_fp_state_name(d->state));
	fprintf(f, ",\"confidence\":%s,\"evidence\":[", vw_conf_format(d->confidence, conf));
	for (size_t j = 0; j < d->n_ev; j++) {
		if (j)
			putc_unlocked(',', f);
		json_evidence(f, &d->ev[j]);
	}
	fputs_unlocked("],\"ipv4\":[", f);
	for (size_t j = 0; j < d->n4; j++) {
		if (j)
			putc_unlocked(',', f);
		json_str(f, d->v4[j]);
	}
	fputs_unlocked("],\"ipv6\":[", f);
	for (size_t j = 0; j < d->n6; j++) {
		if (j)
			putc_unlocked(',', f);
		json_str(f, d->v6[j]);
	}
	fputs_unlocked("]}", f);
}

/* The devices of c known by IP (by_ip) or by MAC, as a JSON array. */
static void json_devs(FILE *f, const struct collect *c, bool by_ip)
{
	bool first = true;

	putc_unlocked('[', f);
	for (size_t i = 0; i < c->n; i++) {
		if (c->v[i].by_ip != by_ip)
			continue;
		if (!first)
			putc_unlocked(',', f);
		first = false;
		json_dev(f, &c->v[i]);
	}
	putc_unlocked(']', f);
}

/* {"devices": [by MAC], "ip_devices": [behind a router, by IP]}, one line. */
static void print_json(const struct collect *c, const char *file)
{
	FILE *f = stdout;

	putc_unlocked('{', f);
	if (file) {
		fputs_unlocked("\"file\":", f);
		json_str(f, file);
		putc_unlocked(',', f);
	}
	fputs_unlocked("\"devices\":", f);
	json_devs(f, c, false);
	fputs_unlocked(",\"ip_devices\":", f);
	json_devs(f, c, true);
	fputs_unlocked("}\n", f);
}

static void print_row(const struct dev_copy *d, const char *key)
{
	const char *vendor = vendor_of(d);
	char conf[16];

	fmt_conf(d->confidence, conf, sizeof(conf));
	printf("%-17s  %-10s  %-5s  %-10s  ", key, vendor ? vendor : "-", conf,
	       vw_fp_state_name(d->state));
	if (!d->n_ev)
		printf("-\n");
	for (size_t j = 0; j < d->n_ev; j++) {
		const struct vw_fp_evidence *e = &d->ev[j];

		if (j)
			printf("%-17s  %-10s  %-5s  %-10s  ", "", "", "", "");
		printf("%s %s=\"%s\" (%s%s%s)\n", vw_fp_evidence_signal(e), e->field, e->value,
		       e->ident->id, e->rule ? ", " : "", e->rule ? e->rule->id : "");
	}
}

/* Devices behind a router: keyed by IP, with the device's own MAC when a
 * relayed DHCP named it and the router's MAC that carried its frames. */
static void print_ip_row(const struct dev_copy *d)
{
	char mac[VW_MAC_STRLEN];

	print_row(d, *d->ip ? d->ip : "(IP not known)");
	if (d->has_mac) {
		vw_format_mac(d->mac, mac);
		printf("%-17s  %-10s  %-5s  %-10s  device MAC: %s\n", "", "", "", "", mac);
	}
	if (d->has_via) {
		vw_format_mac(d->via, mac);
		printf("%-17s  %-10s  %-5s  %-10s  behind router: %s\n", "", "", "", "", mac);
	}
}

static void print_table(const struct collect *c)
{
	size_t n_ip = 0;

	for (size_t i = 0; i < c->n; i++)
		n_ip += c->v[i].by_ip;
	if (c->n == n_ip)
		printf("%s\n", c->all ? "No devices." : "No restricted devices.");
	else
		printf("%-17s  %-10s  %-5s  %-10s  %s\n", "MAC", "VENDOR", "CONF", "STATE", "EVIDENCE");
	for (size_t i = 0; i < c->n && !c->v[i].by_ip; i++) {
		const struct dev_copy *d = &c->v[i];
		char mac[VW_MAC_STRLEN];

		vw_format_mac(d->mac, mac);
		print_row(d, mac);
		if (d->n4 || d->n6) {
			printf("%-17s  %-10s  %-5s  %-10s  addresses:", "", "", "", "");
			for (size_t j = 0; j < d->n4; j++)
				printf(" %s", d->v4[j]);
			for (size_t j = 0; j < d->n6; j++)
				printf(" %s", d->v6[j]);
			printf("\n");
		}
	}
	if (!n_ip)
		return;
	printf("\nBehind routers (by IP):\n%-17s  %-10s  %-5s  %-10s  %s\n", "IP", "VENDOR", "CONF",
	       "STATE", "EVIDENCE");
	for (size_t i = c->n - n_ip; i < c->n; i++)
		print_ip_row(&c->v[i]);
}

/* ---- reading captures ---- */

/* libpcap reads a record at a time through stdio; with its default 4 KiB
 * buffer a capture of a million frames cost ~60,000 read calls. */
#define READ_BUF (1u << 20)

/* Opens path for libpcap with a large stdio buffer (*buf, freed by the
 * caller after pcap_close). NULL after reporting the problem. */
static pcap_t *open_capture(const char *path, char **buf)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	FILE *f = fopen(path, "rb");
	pcap_t *p;

	*buf = NULL;
	if (!f) {
		fprintf(stderr, "Error: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	*buf = malloc(READ_BUF);
	if (*buf)
		setvbuf(f, *buf, _IOFBF, READ_BUF);
	/* classify is single-threaded: libpcap's two freads per record
	 * need not take the stream's lock each time. */
	__fsetlocking(f, FSETLOCKING_BYCALLER);
	p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	if (!p) {
		fprintf(stderr, "Error: %s: %s\n", path, errbuf);
		fclose(f);
	}
	return p;
}

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#define SLL_HLEN  16
#define SLL2_HLEN 20
#define ARPHRD_ETHER_ 1
#define SLL_MAX_FRAME 65536

/*
 * A Linux cooked capture record as the Ethernet frame the engine reads:
 * the link-layer source address becomes the source MAC, the protocol the
 * EtherType (an 802.2 LLC payload, protocol 4, gets its 802.3 length).
 * The destination MAC is not recorded: it is left 00:00:00:00:00:00 for a
 * packet to a host, ff:ff:ff:ff:ff:ff for a broadcast and 01:00:5e:00:00:00
 * for a multicast (packet type), which is what the engine asks of it.
 * Returns the frame length, or 0 for a record with no Ethernet source
 * (another hardware type, a cut header) that carries nothing to judge.
 */
static size_t sll_to_eth(int dlt, const u_char *p, size_t n, uint8_t *out)
{
	static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0, 0, 0 };
	size_t hl = dlt == DLT_LINUX_SLL ? SLL_HLEN : SLL2_HLEN;
	unsigned hatype, pkttype, halen, proto;
	const u_char *addr;

	if (n < hl || n - hl + 14 > SLL_MAX_FRAME)
		return 0;
	if (dlt == DLT_LINUX_SLL) {
		pkttype = p[0] << 8 | p[1];
		hatype = p[2] << 8 | p[3];
		halen = p[4] << 8 | p[5];
		addr = p + 6;
		proto = p[14] << 8 | p[15];
	} else {
		proto = p[0] << 8 | p[1];
		hatype = p[8] << 8 | p[9];
		pkttype = p[10];
		halen = p[11];
		addr = p + 12;
	}
	if (hatype != ARPHRD_ETHER_ || halen != 6)
		return 0;
	memset(out, 0, 6);
	if (pkttype == 1)
		memset(out, 0xFF, 6);
	else if (pkttype == 2)
		memcpy(out, mcast, 6);
	memcpy(out + 6, addr, 6);
	if (proto == 0x0004 || proto == 0x0001)   /* ETH_P_802_2, ETH_P_802_3 */
		proto = n - hl < 0x0600 ? (unsigned)(n - hl) : 0x05DC;
	else if (proto < 0x0600)
		return 0;    /* CAN, ETH_P_ALL...: not an Ethernet payload */
	out[12] = proto >> 8;
	out[13] = proto & 0xFF;
	memcpy(out + 14, p + hl, n - hl);
	return n - hl + 14;
}

static const char *link_name(int dlt)
{
	const char *name = pcap_datalink_val_to_name(dlt);

	return name ? name : "unknown";
}

/* Feeds one capture to the engine. Returns 0, or -EIO after reporting
 * the problem; frames read before a damaged record stay in the engine. */
static int read_file(struct vw_fp_engine *e, const char *path)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned long frame = 0;
	char *iobuf;
	uint8_t *buf = NULL;
	pcap_t *p;
	int dlt, rc = 0, q;

	p = open_capture(path, &iobuf);
	if (!p) {
		free(iobuf);
		return -EIO;
	}
	dlt = pcap_datalink(p);
	if (dlt != DLT_EN10MB && dlt != DLT_LINUX_SLL && dlt != DLT_LINUX_SLL2) {
		fprintf(stderr, "Error: %s: link-layer type %s (%d) is not supported, only Ethernet (EN10MB) "
			"and Linux cooked (LINUX_SLL, LINUX_SLL2)\n", path, link_name(dlt), dlt);
		rc = -EPROTONOSUPPORT;
		goto out;
	}
	if (dlt != DLT_EN10MB && !(buf = malloc(SLL_MAX_FRAME))) {
		fprintf(stderr, "Error: out of memory\n");
		rc = -ENOMEM;
		goto out;
	}
	while ((q = pcap_next_ex(p, &h, &data)) == 1) {
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
		size_t n = h->caplen;

		frame++;
		if (buf && !(n = sll_to_eth(dlt, data, n, buf)))
			continue;
		vw_fp_engine_frame(e, buf ? buf : data, n, ts, NULL, NULL);
	}
	if (q == PCAP_ERROR) {
		const char *msg = pcap_geterr(p);

		/* Frame numbers count from 1 like Wireshark's, so N is the
		 * record that could not be read. */
		if (strstr(msg, "truncated"))
			fprintf(stderr, "Error: %s: frame %lu: truncated record (%s)\n", path, frame + 1, msg);
		else
			fprintf(stderr, "Error: %s: frame %lu: %s\n", path, frame + 1, msg);
		rc = -EIO;
	}
out:
	free(buf);
	pcap_close(p);
	free(iobuf);
	return rc;
}

/* Everything classify loads; freed once by ctx_free whatever stage failed. */
struct classify_ctx {
	struct opts o;
	struct vw_policy pol;
	struct vw_registry reg;
	struct vw_ouiset set;
	struct vw_diag diag;
	struct vw_fp_rules *rules;
	struct vw_fp_engine *eng;
	struct collect col;
	char *rules_dir;
	char *cache_dir;
	const char *first_file;
	bool have_pol, have_reg, have_set;
};

/* Returns -1 to go on, or the exit status (0 for --help, 1 out of memory,
 * 2 bad usage). */
static int parse_opts(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, 'P' },
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "per-file", no_argument, NULL, 'F' },
		{ "policy-dir", required_argument, NULL, 'd' },
		{ "registry-dir", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;    /* GNU: full re-initialisation, the caller may have used getopt */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+ajh", longopts, NULL)) != -1) {
		switch (c) {
		case 'P': {
			const char **t = realloc(o->profiles, (o->n_profiles + 1) * sizeof(*t));

			if (!t) {
				fprintf(stderr, "Error: out of memory\n");
				return 1;
			}
			o->profiles = t;
			o->profiles[o->n_profiles++] = optarg;
			break;
		}
		case 'a': o->all = true; break;
		case 'j': o->json = true; break;
		case 'F': o->per_file = true; break;
		case 'd': o->policy_dir = optarg; break;
		case 'r': o->registry_dir = optarg; break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			if (optopt && strchr("Pdr", optopt))
				fprintf(stderr, "Error: option needs a value: %s\n", argv[optind - 1]);
			else
				fprintf(stderr, "Error: unknown option: %s\n", argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "Error: no capture file given\n");
		usage(stderr);
		return 2;
	}
	if (!o->policy_dir)
		o->policy_dir = default_policy_dir();
	return -1;
}

/* Loads the policy and checks the profiles. Returns -1 to go on, or the
 * exit status. */
static int load_policy(struct classify_ctx *x)
{
	struct opts *o = &x->o;
	int rc = vw_policy_load(&x->pol, o->policy_dir, &x->diag);

	x->have_pol = true;
	if (rc < 0) {
		print_diag(&x->diag);
		fprintf(stderr, "Error: cannot load the policy from %s\n", o->policy_dir);
		return 1;
	}
	if (!o->n_profiles) {
		/* No daemon configuration offline: every profile, i.e. every
		 * vendor some profile restricts. */
		o->profiles = calloc(x->pol.n_profiles + 1, sizeof(*o->profiles));
		if (!o->profiles) {
			fprintf(stderr, "Error: out of memory\n");
			return 1;
		}
		for (size_t i = 0; i < x->pol.n_profiles; i++)
			o->profiles[o->n_profiles++] = x->pol.profiles[i].id;
	}
	for (size_t i = 0; i < o->n_profiles; i++) {
		if (!vw_policy_profile(&x->pol, o->profiles[i])) {
			fprintf(stderr, "Error: no profile '%s' in %s/profiles\n", o->profiles[i], o->policy_dir);
			return 2;
		}
	}
	return -1;
}

/* mkdir -p of a private directory; 0 or -errno. */
static int mkdir_private(char *path)
{
	for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*s = '/';
			return -errno;
		}
		*s = '/';
	}
	return mkdir(path, 0700) < 0 && errno != EEXIST ? -errno : 0;
}

/* Where classify keeps the compiled rule databases between runs (as the
 * daemon keeps them in StateDirectory): $XDG_CACHE_HOME/vendorwall/fp-cache,
 * or ~/.cache/...; NULL (compile every time) when neither can be made. */
static char *user_cache_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *dir = NULL;
	int n = -1;

	if (xdg && xdg[0] == '/')
		n = asprintf(&dir, "%s/vendorwall/fp-cache", xdg);
	else if (home && home[0] == '/')
		n = asprintf(&dir, "%s/.cache/vendorwall/fp-cache", home);
	if (n < 0)
		return NULL;
	if (mkdir_private(dir) < 0) {
		free(dir);
		return NULL;
	}
	return dir;
}

static size_t devices_for(char **files, int n)
{
	size_t total = CLASSIFY_MIN_DEVICES;
	struct stat st;

	for (int i = 0; i < n; i++) {
		/* A pipe or a file we cannot stat: the full table. */
		if (stat(files[i], &st) < 0 || !S_ISREG(st.st_mode))
			return CLASSIFY_MAX_DEVICES;
		total += (size_t)st.st_size / 15;
		if (total >= CLASSIFY_MAX_DEVICES)
			return CLASSIFY_MAX_DEVICES;
	}
	return total;
}

/* A fresh engine for the files (replacing any previous one). Returns 0 or 1. */
static int new_engine(struct classify_ctx *x, char **files, int n)
{
	struct vw_fp_engine_conf ec;
	int rc;

	vw_fp_engine_free(x->eng);
	x->eng = NULL;
	vw_fp_engine_conf_default(&ec);
	ec.max_devices = devices_for(files, n);
	rc = vw_fp_engine_new(&x->eng, &ec, x->rules, &x->set, &x->pol);
	if (rc < 0) {
		fprintf(stderr, "Error: cannot create the fingerprint engine: %s\n", strerror(-rc));
		return 1;
	}
	return 0;
}

/* Registry, OUI set, rules and engine, after the policy. Returns 0 or 1. */
static int load_engine(struct classify_ctx *x)
{
	int rc;

	/* Registry row warnings do not stop the daemon either; only a
	 * registry that could not be read at all does. */
	rc = vw_registry_load(&x->reg, x->o.registry_dir, &x->diag);
	x->have_reg = true;
	if (rc < 0) {
		print_diag(&x->diag);
		fprintf(stderr, "Error: cannot load the IEEE registry from %s\n", x->o.registry_dir);
		return 1;
	}
	vw_diag_free(&x->diag);
	x->diag = (struct vw_diag){ 0 };
	rc = vw_ouiset_build(&x->set, &x->reg, &x->pol, x->o.profiles, x->o.n_profiles, &x->diag);
	x->have_set = true;
	if (rc < 0) {
		print_diag(&x->diag);
		fprintf(stderr, "Error: cannot build the OUI set\n");
		return 1;
	}
	if (asprintf(&x->rules_dir, "%s/fingerprints", x->o.policy_dir) < 0) {
		x->rules_dir = NULL;
		fprintf(stderr, "Error: out of memory\n");
		return 1;
	}
	x->cache_dir = user_cache_dir();
	rc = vw_fp_rules_load_cached(&x->rules, x->rules_dir, &x->pol, x->cache_dir, &x->diag);
	if (rc < 0) {
		print_diag(&x->diag);
		fprintf(stderr, "Error: cannot load the fingerprint rules from %s\n", x->rules_dir);
		return 1;
	}
	return 0;
}

static void col_free(struct collect *col)
{
	for (size_t i = 0; i < col->n; i++) {
		free(col->v[i].ev);
		free(col->v[i].v4);
		free(col->v[i].v6);
	}
	free(col->v);
	*col = (struct collect){ 0 };
}

/* Collects, sorts and prints the devices (of file, with --per-file).
 * Returns 0 or -ENOMEM. */
static int report(struct classify_ctx *x, const char *file)
{
	struct collect *col = &x->col;

	col_free(col);
	col->all = x->o.all;
	vw_fp_engine_foreach(x->eng, collect_cb, col);
	if (col->err)
		return -ENOMEM;
	if (col->n)
		qsort(col->v, col->n, sizeof(*col->v), cmp_dev);
	for (size_t i = 0; i < col->n; i++)
		sort_evidence(&col->v[i]);
	if (x->o.json) {
		print_json(col, file);
	} else {
		if (file)
			printf("%s== %s\n", file == x->first_file ? "" : "\n", file);
		print_table(col);
	}
	fflush(stdout);
	return 0;
}

static void ctx_free(struct classify_ctx *x)
{
	col_free(&x->col);
	vw_fp_engine_free(x->eng);
	vw_fp_rules_free(x->rules);
	free(x->rules_dir);
	free(x->cache_dir);
	if (x->have_set)
		vw_ouiset_free(&x->set);
	if (x->have_reg)
		vw_registry_free(&x->reg);
	if (x->have_pol)
		vw_policy_free(&x->pol);
	vw_diag_free(&x->diag);
	free(x->o.profiles);
}

/* Every file into one engine, or (--per-file) each into its own. */
static int run_files(struct classify_ctx *x, int argc, char **argv)
{
	int status = 0;

	x->first_file = argv[optind];
	if (!x->o.per_file && new_engine(x, argv + optind, argc - optind))
		return 1;
	for (int i = optind; i < argc; i++) {
		if (x->o.per_file && new_engine(x, argv + i, 1))
			return 1;
		if (read_file(x->eng, argv[i]) < 0)
			status = 1;
		if (x->o.per_file && report(x, argv[i]) < 0) {
			fprintf(stderr, "Error: out of memory\n");
			return 1;
		}
	}
	if (!x->o.per_file && report(x, NULL) < 0) {
		fprintf(stderr, "Error: out of memory\n");
		status = 1;
	}
	return status;
}

int vw_ctl_classify_main(int argc, char **argv)
{
	struct classify_ctx x = { .o = { .registry_dir = DEFAULT_REGISTRY_DIR } };
	int status;

	status = parse_opts(&x.o, argc, argv);
	if (status < 0)
		status = load_policy(&x);
	if (status < 0)
		status = load_engine(&x);
	if (status == 0)
		status = run_files(&x, argc, argv);
	ctx_free(&x);
	return status;
}

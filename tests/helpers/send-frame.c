// SPDX-License-Identifier: GPL-2.0-only
/* Test helper: sends one raw Ethernet frame, given as hex, out of an
 * interface COUNT times (a device announcing itself, e.g. LLDP). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int unhex(const char *s, unsigned char *out, size_t max, size_t *len)
{
	size_t n = 0;

	while (*s) {
		unsigned int b;

		if (*s == ' ' || *s == ':' || *s == '\n') {
			s++;
			continue;
		}
		if (n == max || sscanf(s, "%2x", &b) != 1 || !s[1])
			return -EINVAL;
		out[n++] = (unsigned char)b;
		s += 2;
	}
	*len = n;
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sa = { .sll_family = AF_PACKET, .sll_halen = ETH_ALEN };
	unsigned char frame[9216];
	size_t len;
	int fd, count = argc > 3 ? atoi(argv[3]) : 1;

	if (argc < 3 || unhex(argv[2], frame, sizeof(frame), &len) || len < ETH_HLEN) {
		fprintf(stderr, "usage: send-frame IFNAME HEX [COUNT]\n");
		return 2;
	}
	sa.sll_ifindex = (int)if_nametoindex(argv[1]);
	if (!sa.sll_ifindex) {
		fprintf(stderr, "send-frame: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	memcpy(sa.sll_addr, frame, ETH_ALEN);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		fprintf(stderr, "send-frame: socket: %s\n", strerror(errno));
		return 1;
	}
	for (int i = 0; i < count; i++) {
		if (sendto(fd, frame, len, 0, (struct sockaddr *)&sa, sizeof(sa)) != (ssize_t)len) {
			fprintf(stderr, "send-frame: sendto: %s\n", strerror(errno));
			close(fd);
			return 1;
		}
	}
	close(fd);
	return 0;
}

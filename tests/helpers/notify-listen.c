// SPDX-License-Identifier: GPL-2.0-only
/* A NOTIFY_SOCKET stand-in for tests and the bench: prints each sd_notify
 * datagram's assignments, one per line, as they arrive (with -t, each
 * prefixed by the CLOCK_REALTIME arrival time in seconds). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[4096];
	int fd, seconds, stamp = 0;
	time_t end;

	if (argc == 4 && !strcmp(argv[1], "-t")) {
		stamp = 1;
		argv++;
		argc--;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: notify-listen [-t] SOCKET SECONDS\n");
		return 2;
	}
	seconds = atoi(argv[2]);
	if (strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "notify-listen: path too long\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	unlink(sa.sun_path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "notify-listen: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	end = time(NULL) + seconds;
	while (time(NULL) < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
			if (stamp) {
				struct timespec ts;

				clock_gettime(CLOCK_REALTIME, &ts);
				printf("%lld.%09ld ", (long long)ts.tv_sec, ts.tv_nsec);
			}
			printf("%s\n", line);
		}
	}
	unlink(sa.sun_path);
	return 0;
}

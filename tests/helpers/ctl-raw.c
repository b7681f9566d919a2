// SPDX-License-Identifier: GPL-2.0-only
/* Test helper: talks to the control socket the way a broken or hostile
 * client would. `send SOCKET TEXT` sends TEXT as one message and prints the
 * reply; `big SOCKET BYTES` sends that many bytes of garbage; `hold SOCKET
 * SECONDS` connects and says nothing; `flood SOCKET COUNT TEXT` sends TEXT
 * on COUNT connections, one after the other, and prints how many replies
 * were refusals (EPERM). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int dial(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Prints the reply, or "closed" when the daemon hung up without one. */
static int reply(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	static char buf[1 << 20];
	ssize_t n;

	if (poll(&p, 1, timeout_ms) <= 0) {
		printf("timeout\n");
		return 1;
	}
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0) {
		printf("closed\n");
		return 0;
	}
	buf[n] = '\0';
	printf("%s\n", buf);
	return 0;
}

/* A local user hammering the socket: every request is answered. */
static int flood(const char *path, unsigned long count, const char *text)
{
	unsigned long refused = 0;
	char buf[4096];

	for (unsigned long i = 0; i < count; i++) {
		int fd = dial(path);
		ssize_t n;

		if (fd < 0 || send(fd, text, strlen(text), 0) < 0) {
			fprintf(stderr, "ctl-raw: request %lu: %s\n", i, strerror(errno));
			return 1;
		}
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		close(fd);
		if (n <= 0) {
			fprintf(stderr, "ctl-raw: request %lu: no reply\n", i);
			return 1;
		}
		buf[n] = '\0';
		refused += strstr(buf, "\"EPERM\"") != NULL;
	}
	printf("%lu\n", refused);
	return 0;
}

int main(int argc, char **argv)
{
	int fd;

	if (argc == 5 && !strcmp(argv[1], "flood"))
		return flood(argv[2], strtoul(argv[3], NULL, 10), argv[4]);
	if (argc != 4) {
		fprintf(stderr, "usage: ctl-raw send|big|hold SOCKET ARG | flood SOCKET COUNT TEXT\n");
		return 2;
	}
	fd = dial(argv[2]);
	if (fd < 0) {
		fprintf(stderr, "ctl-raw: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	if (!strcmp(argv[1], "hold")) {
		/* Silent: the daemon must time us out, not wait for us. */
		int r = reply(fd, atoi(argv[3]) * 1000);

		close(fd);
		return r;
	}
	if (!strcmp(argv[1], "big")) {
		size_t len = strtoul(argv[3], NULL, 10);
		char *junk = malloc(len);

		if (!junk)
			return 1;
		memset(junk, '{', len);
		if (send(fd, junk, len, 0) < 0)
			printf("send: %s\n", strerror(errno));
		free(junk);
	} else if (send(fd, argv[3], strlen(argv[3]), 0) < 0) {
		printf("send: %s\n", strerror(errno));
	}
	{
		int r = reply(fd, 5000);

		close(fd);
		return r;
	}
}

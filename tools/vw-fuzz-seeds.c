// SPDX-License-Identifier: GPL-2.0-only
/* Writes the banner fuzz target's seeds (tests/fuzz/corpus/banner) from the
 * samples the banner unit test asserts on: `make fuzz-seeds` after a
 * sample changes, then commit the corpus. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../tests/fuzz/banner_ports.h"
#include "../tests/fuzz/banner_samples.h"

/* A seed is the port's index in the fuzz target's table, then the payload. */
static int write_seed(const char *dir, const struct banner_sample *s)
{
	char path[4096];
	size_t k;
	FILE *f;
	int err = 0;

	for (k = 0; k < VW_BANNER_FUZZ_PORTS; k++)
		if (vw_banner_fuzz_ports[k] == s->port)
			break;
	if (k == VW_BANNER_FUZZ_PORTS) {
		fprintf(stderr, "vw-fuzz-seeds: sample %s: port %u is not a banner port\n",
			s->name, s->port);
		return -EINVAL;
	}
	if (snprintf(path, sizeof(path), "%s/%s", dir, s->name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(path, "wb");
	if (!f) {
		err = -errno;
		fprintf(stderr, "vw-fuzz-seeds: %s: %s\n", path, strerror(errno));
		return err;
	}
	if (fputc((int)k, f) == EOF || fwrite(s->bytes, 1, s->len, f) != s->len)
		err = -EIO;
	if (fclose(f) && !err)
		err = -EIO;
	if (err)
		fprintf(stderr, "vw-fuzz-seeds: %s: write failed\n", path);
	return err;
}

int main(int argc, char **argv)
{
	char dir[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: vw-fuzz-seeds CORPUS_DIR (tests/fuzz/corpus)\n");
		return 2;
	}
	if (snprintf(dir, sizeof(dir), "%s/banner", argv[1]) >= (int)sizeof(dir))
		return 1;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "vw-fuzz-seeds: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < sizeof(banner_samples) / sizeof(banner_samples[0]); i++)
		if (write_seed(dir, &banner_samples[i]) < 0)
			return 1;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem-user - the user-space half of the nested-VMM scenario: in the
 * guest, map BAR2 of the ivshmem device through sysfs, once through
 * resource2_wc (write-combining: Normal-NC at stage 1) and once through
 * resource2 (uncached: Device-nGnRE at stage 1), write a pattern with
 * aligned 64-bit stores, read it back, and report in KTAP.
 *
 * Only aligned 64-bit volatile accesses touch the BAR: memcpy() and
 * memset() may use unaligned accesses or DC ZVA, which fault on Device
 * memory on real hardware.
 *
 * Usage: ivshmem-user PCI_DEVICE_SYSFS_DIR
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#define SZ_1M		(1UL << 20)

/* Where the patterns go in BAR2: see tests/host/ivshmem-check.c */
static const struct {
	const char *file;
	const char *name;
	unsigned long offset;
	uint64_t tag;
} maps[] = {
	/* tags: "UW" and "UD" */
	{ "resource2_wc", "user_resource2_wc", 20 * SZ_1M, 0x5557000000000000ULL },
	{ "resource2", "user_resource2", 24 * SZ_1M, 0x5544000000000000ULL },
};
#define MAP_LEN		SZ_1M
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int run(const char *dir, int i)
{
	volatile uint64_t *p;
	char path[512];
	unsigned long w, bad = 0;
	uint64_t v;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, maps[i].file);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0) {
		printf("# %s: %s\n", path, strerror(errno));
		return -1;
	}
	p = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, maps[i].offset);
	close(fd);
	if (p == MAP_FAILED) {
		printf("# mmap of %s at 0x%lx: %s\n", path, maps[i].offset, strerror(errno));
		return -1;
	}
	for (w = 0; w < MAP_LEN / 8; w++)
		p[w] = maps[i].tag | w;
	__asm__ __volatile__("dsb st" ::: "memory");
	for (w = 0; w < MAP_LEN / 8; w++) {
		v = p[w];
		if (v == (maps[i].tag | w))
			continue;
		if (!bad++)
			printf("# %s: word %lu reads 0x%016" PRIx64
			       ", expected 0x%016" PRIx64 "\n",
			       maps[i].file, w, v, maps[i].tag | w);
	}
	munmap((void *)p, MAP_LEN);
	if (bad)
		printf("# %s: %lu of %lu words wrong\n", maps[i].file, bad, MAP_LEN / 8);
	return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	int i, failed = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s PCI_DEVICE_SYSFS_DIR\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("KTAP version 1\n1..%zu\n", ARRAY_SIZE(maps));
	for (i = 0; i < (int)(ARRAY_SIZE(maps)); i++) {
		if (run(argv[1], i)) {
			printf("not ok %d %s\n", i + 1, maps[i].name);
			failed++;
		} else {
			printf("ok %d %s\n", i + 1, maps[i].name);
		}
	}
	return failed ? 1 : 0;
}

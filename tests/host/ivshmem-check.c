// SPDX-License-Identifier: GPL-2.0
/*
 * Check, on the outer machine, the ivshmem backing file after QEMU exited:
 * every region a test wrote through BAR2 must hold exactly the 64-bit
 * words that test wrote, and every byte no test wrote must still be zero
 * (the file starts zeroed): nothing lost, nothing stale, nothing stray.
 *
 * Usage: ivshmem-check FILE WRITER...
 * WRITER is the set of regions that ran in the guest:
 *  selftest  the vfio_pci_memattr selftest, which writes only in
 *            [0, 8 MiB) and leaves no defined pattern there (it checks
 *            its own data through vfio): that range is not checked.
 *  nested    the nested-VMM scenario (tests/nested/): the guest driver's
 *            ioremap_wc() + __iowrite64_copy() of [16 MiB, 17 MiB), and
 *            the guest user space's resource2_wc of [20 MiB, 21 MiB) and
 *            resource2 of [24 MiB, 25 MiB).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MiB		(1ull << 20)

struct region {
	const char *writer;
	const char *name;
	uint64_t offset, size;
	uint64_t tag;		/* word i holds tag | i */
	int scratch;		/* written with undefined data: not checked */
};

static const struct region regions[] = {
	{ "selftest", "selftest scratch [0,8M)", 0, 8 * MiB, 0, 1 },
	{ "nested", "nested guest driver ioremap_wc [16M,17M)", 16 * MiB, MiB,
	  0x4b57000000000000ull },
	{ "nested", "nested guest user resource2_wc [20M,21M)", 20 * MiB, MiB,
	  0x5557000000000000ull },
	{ "nested", "nested guest user resource2 [24M,25M)", 24 * MiB, MiB,
	  0x5544000000000000ull },
};
#define NR_REGIONS	(sizeof(regions) / sizeof((regions)[0]))

static const struct region *region_of(uint64_t off, const int *active)
{
	unsigned int r;

	for (r = 0; r < NR_REGIONS; r++)
		if (active[r] && off >= regions[r].offset &&
		    off < regions[r].offset + regions[r].size)
			return &regions[r];
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long bad[NR_REGIONS] = { 0 }, stray = 0, failed = 0;
	int active[NR_REGIONS] = { 0 };
	const struct region *reg;
	uint64_t off, v, want;
	unsigned int r;
	int i, known;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: %s IVSHMEM_BACKING_FILE selftest|nested...\n", argv[0]);
		return 2;
	}
	for (i = 2; i < argc; i++) {
		known = 0;
		for (r = 0; r < NR_REGIONS; r++)
			if (!strcmp(argv[i], regions[r].writer))
				active[r] = known = 1;
		if (!known) {
			fprintf(stderr, "unknown writer '%s'\n", argv[i]);
			return 2;
		}
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	for (off = 0; fread(&v, sizeof(v), 1, f) == 1; off += 8) {
		reg = region_of(off, active);
		if (reg && reg->scratch)
			continue;
		want = reg ? reg->tag | ((off - reg->offset) / 8) : 0;
		if (v == want)
			continue;
		if (!reg) {
			if (!stray++)
				printf("stray data: first at offset 0x%" PRIx64
				       ": 0x%016" PRIx64 "\n", off, v);
			continue;
		}
		if (!bad[reg - regions]++)
			printf("%s: first mismatch at word %" PRIu64 ": 0x%016" PRIx64
			       ", expected 0x%016" PRIx64 "\n", reg->name,
			       (off - reg->offset) / 8, v, want);
	}
	fclose(f);
	for (r = 0; r < NR_REGIONS; r++) {
		if (!active[r] || regions[r].scratch)
			continue;
		if (off < regions[r].offset + regions[r].size) {
			printf("%s: the file ends at 0x%" PRIx64 "\n", regions[r].name, off);
			failed++;
			continue;
		}
		printf("%s: %" PRIu64 " of %" PRIu64 " words as written, %lu wrong\n",
		       regions[r].name, regions[r].size / 8 - bad[r], regions[r].size / 8, bad[r]);
		failed += bad[r] != 0;
	}
	printf("elsewhere: %lu non-zero words no test wrote\n", stray);
	return failed || stray ? 1 : 0;
}

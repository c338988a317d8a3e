// SPDX-License-Identifier: GPL-2.0
/*
 * Check, on the outer machine, the ivshmem backing file after QEMU exited:
 * the last step of the vfio_pci_memattr selftest wrote three passes of
 * 64-bit words through the guest's Normal-NC mapping of BAR2 [0, 4 MiB)
 * and through its Device-nGnRE mapping of [4 MiB, 8 MiB). Every word must
 * hold the value of the last pass: nothing lost, nothing stale.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define REGION		(4u << 20)
#define WORDS		(REGION / 8)
#define LAST_PASS	3ull

static uint64_t expected(uint64_t tag, uint64_t i)
{
	return tag | (LAST_PASS << 40) | i;
}

static unsigned long check(FILE *f, const char *name, uint64_t tag)
{
	unsigned long bad = 0;
	uint64_t i, v;

	for (i = 0; i < WORDS; i++) {
		if (fread(&v, sizeof(v), 1, f) != 1) {
			printf("%s: file ends at word %" PRIu64 "\n", name, i);
			return WORDS - i + bad;
		}
		if (v == expected(tag, i))
			continue;
		if (!bad++)
			printf("%s: first mismatch at word %" PRIu64 ": 0x%016" PRIx64
			       ", expected 0x%016" PRIx64 "\n", name, i, v,
			       expected(tag, i));
	}
	printf("%s: %lu of %u words as written by the last pass, %lu wrong\n",
	       name, WORDS - bad, WORDS, bad);
	return bad;
}

int main(int argc, char **argv)
{
	unsigned long bad;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: %s IVSHMEM_BACKING_FILE\n", argv[0]);
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	bad = check(f, "normal-nc [0,4M)", 0x4e43000000000000ull);
	bad += check(f, "device [4M,8M)", 0x4445000000000000ull);
	fclose(f);
	return bad ? 1 : 0;
}

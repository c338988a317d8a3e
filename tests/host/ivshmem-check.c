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
 *  probe_driver, probe_user  the alignment probes' unaligned 8-byte
 *            stores (tests/nested/), each at byte 0x101 of its page: the
 *            driver's through ioremap_wc() at 28 MiB + 0x1000, user
 *            space's through resource2_wc at 28 MiB + 0x3000. Active only
 *            when the probe stored; the pages of their unaligned loads
 *            and of the stage-1 Device probe (which must fault) must stay
 *            zero.
 *  window:NAME=START,END  a test's window [START, END) of BAR2 written
 *            with data that test checks itself (scratch, not checked);
 *  pattern:NAME=OFFSET,WORDS,BASE  WORDS 64-bit words at OFFSET that a
 *            test left for this check: word i holds BASE | i (the
 *            series' vfio_pci_wc_mmap prints where, in a "# pattern:"
 *            line, and its window in a "# window:" line). A pattern is
 *            checked even inside a window or the selftest scratch range.
 * Numbers are C literals (0x...).
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

/* The windows and patterns named on the command line */
#define MAX_EXTRA	8
static struct region extra[MAX_EXTRA];
static char extra_names[MAX_EXTRA][160];
static unsigned int nr_extra;

/* Unaligned 8-byte stores: VALUE's bytes at OFFSET, little-endian. */
static const struct store {
	const char *writer;
	const char *name;
	uint64_t offset, value;
} stores[] = {
	{ "probe_driver", "nested guest probe, driver unaligned store at 28M+0x1101",
	  28 * MiB + 0x1101, 0x31574b5f424f5250ull },
	{ "probe_user", "nested guest probe, user unaligned store at 28M+0x3101",
	  28 * MiB + 0x3101, 0x3157555f424f5250ull },
};
#define NR_STORES	(sizeof(stores) / sizeof((stores)[0]))

/* store_bytes WANT, OFF, ACTIVE: WANT with the active stores' bytes in word OFF. */
static uint64_t store_bytes(uint64_t want, uint64_t off, const int *active, int *hit)
{
	unsigned int s, b;
	uint64_t pos;

	for (s = 0; s < NR_STORES; s++) {
		if (!active[s] || stores[s].offset + 8 <= off || stores[s].offset >= off + 8)
			continue;
		for (b = 0; b < 8; b++) {
			pos = stores[s].offset + b;
			if (pos < off || pos >= off + 8)
				continue;
			want &= ~(0xffull << 8 * (pos - off));
			want |= ((stores[s].value >> 8 * b) & 0xff) << 8 * (pos - off);
		}
		*hit = s;
	}
	return want;
}

/* The region holding OFF: a checked one before a scratch one */
static const struct region *region_of(uint64_t off, const int *active)
{
	unsigned int r;
	int scratch;

	for (scratch = 0; scratch < 2; scratch++) {
		for (r = 0; r < nr_extra; r++)
			if (extra[r].scratch == scratch && off >= extra[r].offset &&
			    off < extra[r].offset + extra[r].size)
				return &extra[r];
		for (r = 0; r < NR_REGIONS; r++)
			if (active[r] && regions[r].scratch == scratch &&
			    off >= regions[r].offset &&
			    off < regions[r].offset + regions[r].size)
				return &regions[r];
	}
	return NULL;
}

/*
 * One line for a checked region: its words as written, or where the file
 * ended before it. Returns 1 if the region fails.
 */
static int report(const struct region *reg, unsigned long bad, uint64_t end)
{
	if (end < reg->offset + reg->size) {
		printf("%s: the file ends at 0x%" PRIx64 "\n", reg->name, end);
		return 1;
	}
	printf("%s: %" PRIu64 " of %" PRIu64 " words as written, %lu wrong\n",
	       reg->name, reg->size / 8 - bad, reg->size / 8, bad);
	return bad != 0;
}

/* window:NAME=START,END or pattern:NAME=OFFSET,WORDS,BASE; 0 if neither */
static int parse_extra(const char *arg)
{
	unsigned long long a, b, c;
	struct region *x;
	char name[64];
	int n = 0;

	if (nr_extra == MAX_EXTRA)
		return 0;
	x = &extra[nr_extra];
	if (sscanf(arg, "window:%63[^=]=%lli,%lli%n", name, &a, &b, &n) == 3 &&
	    !arg[n] && b > a) {
		snprintf(extra_names[nr_extra], sizeof(extra_names[0]),
			 "%s window [0x%llx,0x%llx)", name, a, b);
		*x = (struct region){ extra_names[nr_extra], extra_names[nr_extra], a, b - a, 0, 1 };
	} else if (sscanf(arg, "pattern:%63[^=]=%lli,%lli,%lli%n", name, &a, &b, &c, &n) == 4 &&
		   !arg[n] && b > 0 && !(a % 8)) {
		snprintf(extra_names[nr_extra], sizeof(extra_names[0]),
			 "%s pattern [0x%llx,+0x%llx)", name, a, b * 8);
		*x = (struct region){ extra_names[nr_extra], extra_names[nr_extra], a, b * 8, c, 0 };
	} else {
		return 0;
	}
	nr_extra++;
	return 1;
}

int main(int argc, char **argv)
{
	unsigned long bad[NR_REGIONS] = { 0 }, xbad[MAX_EXTRA] = { 0 }, sbad[NR_STORES] = { 0 };
	unsigned long stray = 0, failed = 0;
	int active[NR_REGIONS] = { 0 }, sactive[NR_STORES] = { 0 }, hit;
	const struct region *reg;
	uint64_t off, v, want;
	unsigned int r;
	int i, known;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: %s IVSHMEM_BACKING_FILE selftest|nested|probe_driver|probe_user|"
			"window:NAME=START,END|pattern:NAME=OFFSET,WORDS,BASE...\n", argv[0]);
		return 2;
	}
	for (i = 2; i < argc; i++) {
		known = parse_extra(argv[i]);
		for (r = 0; r < NR_REGIONS; r++)
			if (!strcmp(argv[i], regions[r].writer))
				active[r] = known = 1;
		for (r = 0; r < NR_STORES; r++)
			if (!strcmp(argv[i], stores[r].writer))
				sactive[r] = known = 1;
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
		hit = -1;
		want = store_bytes(want, off, sactive, &hit);
		if (v == want)
			continue;
		if (hit >= 0) {
			if (!sbad[hit]++)
				printf("%s: word at 0x%" PRIx64 " is 0x%016" PRIx64 ", expected 0x%016" PRIx64 "\n",
				       stores[hit].name, off, v, want);
			continue;
		}
		if (!reg) {
			if (!stray++)
				printf("stray data: first at offset 0x%" PRIx64
				       ": 0x%016" PRIx64 "\n", off, v);
			continue;
		}
		if (!(reg >= extra && reg < extra + MAX_EXTRA ?
		      xbad[reg - extra]++ : bad[reg - regions]++))
			printf("%s: first mismatch at word %" PRIu64 ": 0x%016" PRIx64
			       ", expected 0x%016" PRIx64 "\n", reg->name,
			       (off - reg->offset) / 8, v, want);
	}
	fclose(f);
	for (r = 0; r < NR_REGIONS; r++)
		if (active[r] && !regions[r].scratch)
			failed += report(&regions[r], bad[r], off);
	for (r = 0; r < nr_extra; r++)
		if (!extra[r].scratch)
			failed += report(&extra[r], xbad[r], off);
	for (r = 0; r < NR_STORES; r++) {
		if (!sactive[r])
			continue;
		printf("%s: %s, %lu wrong\n", stores[r].name, sbad[r] ? "not as stored" : "as stored", sbad[r]);
		failed += sbad[r] != 0;
	}
	printf("elsewhere: %lu non-zero words no test wrote\n", stray);
	return failed || stray ? 1 : 0;
}
